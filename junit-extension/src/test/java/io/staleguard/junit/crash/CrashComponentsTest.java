package io.staleguard.junit.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.junit.Crash;
import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import io.staleguard.junit.kit.crash.ManifestSwap;
import io.staleguard.junit.kit.crash.SegmentLog;
import io.staleguard.junit.kit.crash.Translog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The crash components do what they say on a simulated filesystem without a crash: what the crash twins test
 * under power loss is their persistence, not their plain function.
 */
@StaleguardTest
class CrashComponentsTest {

    /** A {@link Crash} that only records the acknowledgements it is given. */
    private static final class Acks implements Crash {
        final List<String> keys = new ArrayList<>();

        @Override
        public void explore(Workload workload, Recovery recovery) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void acknowledge(String key) {
            keys.add(key);
        }

        @Override
        public void acknowledge(Path file) {
            keys.add("file " + file);
        }

        @Override
        public void acknowledge(Path file, long offset, long length) {
            keys.add("range " + file);
        }

        @Override
        public int statesExplored() {
            return 0;
        }
    }

    @Test
    void segmentLogRollsToAForcedSegment(@Device Path dir) throws Exception {
        for (boolean buggy : new boolean[] {true, false}) {
            Path wal = Files.createDirectory(dir.resolve(buggy ? "wal-buggy" : "wal"));
            Acks acks = new Acks();
            Path seg = new SegmentLog(wal, buggy).roll(2, 10, acks);
            assertThat(seg.toString()).endsWith("/seg-2.log");
            assertThat(Files.size(seg)).isEqualTo(10L * SegmentLog.RECORD);
            assertThat(new String(Files.readAllBytes(seg), 900, 20, java.nio.charset.StandardCharsets.US_ASCII))
                    .startsWith("segment 2 record 9");
            assertThat(acks.keys).containsExactly("file " + seg);
        }
    }

    @Test
    void translogAcknowledgesEveryOperationOfABatch(@Device Path dir) throws Exception {
        for (boolean buggy : new boolean[] {true, false}) {
            Path file = dir.resolve(buggy ? "buggy.tlog" : "translog.tlog");
            Acks acks = new Acks();
            new Translog(file, buggy).append(1, 8, acks);
            assertThat(acks.keys).containsExactly("op-1", "op-2", "op-3", "op-4", "op-5", "op-6", "op-7", "op-8");
            assertThat(Translog.read(file)).containsExactlyElementsOf(acks.keys);
        }
        Files.write(dir.resolve("torn.tlog"), "op-1\nop-2\nop-".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(Translog.read(dir.resolve("torn.tlog"))).containsExactly("op-1", "op-2");
    }

    @Test
    void manifestSwapReplacesTheManifestAndItsCrcCatchesDamage(@Device Path dir) throws Exception {
        Acks acks = new Acks();
        ManifestSwap swap = new ManifestSwap(dir, true, true);
        swap.replace("generation 1", acks);
        swap.replace("generation 2", acks);
        assertThat(ManifestSwap.read(dir)).isEqualTo("generation 2");
        assertThat(Files.exists(dir.resolve("MANIFEST.tmp"))).isFalse();
        assertThat(acks.keys).hasSize(2).allMatch(k -> k.endsWith("/MANIFEST"));
        byte[] b = Files.readAllBytes(dir.resolve("MANIFEST"));
        b[b.length - 1] ^= 1;
        Files.write(dir.resolve("MANIFEST"), b);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ManifestSwap.read(dir))
                .isInstanceOf(java.io.IOException.class).hasMessage("manifest crc mismatch");
    }
}
