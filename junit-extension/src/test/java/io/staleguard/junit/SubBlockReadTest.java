package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.ViolationKind;
import io.staleguard.junit.kit.Kit;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Reads smaller than a block on a FILE {@code Path} are judged on the blocks they were served from, as Lucene's
 * 1 KiB {@code NIOFSIndexInput} reads are: a byte flipped behind the verifier's back is caught, and the same
 * reads of untouched data are clean.
 */
class SubBlockReadTest {

    @TempDir
    Path reports;

    /** 10 000 bytes: two whole 4 KiB blocks and a partial last one. */
    private static final int SIZE = 10_000;

    static void readInKiBChunks(Path file) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(1024);
            long at = 0;
            int n;
            while ((n = ch.read(b.clear(), at)) > 0) {
                at += n;
            }
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class KiBReads {
        @Test
        void tampered(@Device(backend = Backend.FILE) Path dir) throws Exception {
            Path seg = dir.resolve("segment");
            Files.write(seg, pattern());
            // A host path escapes the verifier: one byte of the partial last block changes behind its back.
            Files.write(Path.of(seg.toString()), new byte[] {(byte) 0xEE}, StandardOpenOption.WRITE);
            try (FileChannel host = FileChannel.open(Path.of(seg.toString()), StandardOpenOption.WRITE)) {
                host.write(ByteBuffer.wrap(new byte[] {(byte) 0xEE}), 9000);
            }
            readInKiBChunks(seg);
        }

        @Test
        void untouched(@Device(backend = Backend.FILE) Path dir) throws Exception {
            Path seg = dir.resolve("segment");
            Files.write(seg, pattern());
            readInKiBChunks(seg);
            try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.allocate(100);
                ch.read(b, 9950);
                if (b.position() != 50 || b.get(0) != pattern()[9950]) {
                    throw new AssertionError("tail read " + b.position());
                }
            }
        }

        private static byte[] pattern() {
            byte[] b = new byte[SIZE];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (i * 31 + 7);
            }
            return b;
        }
    }

    @Test
    void aTamperedByteReadByKiBReadsIsCaughtAndUntouchedReadsAreClean() {
        EngineExecutionResults r = Kit.run(KiBReads.class, reports);
        Kit.assertCounts(r, 1, 1, 0);
        IoConsistencyError e = (IoConsistencyError) Kit.failure(r, "tampered");
        assertThat(e.counts()).containsOnlyKeys(ViolationKind.CORRUPT_READ);
        assertThat(e.violations()).extracting(v -> v.offset()).contains(0L, 8192L).allMatch(o -> o == 0L || o == 8192L);
    }
}
