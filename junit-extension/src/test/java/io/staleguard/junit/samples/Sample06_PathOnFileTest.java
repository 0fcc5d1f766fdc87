package io.staleguard.junit.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.staleguard.junit.Backend;
import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/**
 * Sample 06: a {@code Path} on the FILE backend is a fresh directory on a verifying filesystem. Files opened under
 * it through {@code Files}, {@code FileChannel.open} or {@code AsynchronousFileChannel.open} are checked like a
 * device: protection computed at submission and verified by read-back, reads checked by the history oracle.
 * Paths built with {@code Paths.get}/{@code Path.of}, and {@code java.io.File}, escape the checks: derive every
 * path from the injected one.
 */
@StaleguardTest
class Sample06_PathOnFileTest {

    @Test
    void filesUnderTheInjectedPathAreVerified(@Device(backend = Backend.FILE) Path dir) throws Exception {
        Path manifest = dir.resolve("MANIFEST");
        Files.write(manifest, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(manifest));

        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(dir.resolve("segment-0"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8192);
            int n = 0;
            while (b.hasRemaining()) {
                n += ch.write(b, n).get();
            }
        }
    }
}
