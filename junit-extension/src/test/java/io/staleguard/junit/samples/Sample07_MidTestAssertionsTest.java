package io.staleguard.junit.samples;

import static io.staleguard.junit.StaleguardAssertions.assertThat;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoMode;
import io.staleguard.device.ViolationKind;
import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Sample 07: mid-test assertions, and a bug caught on purpose. {@code StaleguardAssertions} (needs AssertJ on
 * your test classpath) checks what a device recorded so far. Here the buffer of an asynchronous write is reused
 * before the write completed; the device records a GUARD_TAG violation. {@code failOn = {}} hands the verdict to
 * the assertions, so this sample passes because the bug was caught.
 */
@StaleguardTest
class Sample07_MidTestAssertionsTest {

    @Test
    void cleanSoFar(@Device(size = "4MiB") BlockDevice device) throws Exception {
        assertThat(device).hasNoViolations();
    }

    @Test
    @StaleguardTest(failOn = {})
    void reusedBufferIsCaught(@Device(size = "4MiB", shortTransfers = 0) BlockDevice device) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
        List<CompletableFuture<Integer>> pending = new ArrayList<>();
        for (int record = 1; record <= 16; record++) {
            // The bug: the buffer is refilled while the previous record's write has not taken the data yet.
            buffer.clear();
            while (buffer.hasRemaining()) {
                buffer.put((byte) record);
            }
            buffer.flip();
            // A view with its own position, as a log hands out slices of one reused buffer.
            pending.add(device.writeAsync(buffer.duplicate(), record * 4096L, IoMode.BUFFERED));
        }
        for (CompletableFuture<Integer> f : pending) {
            f.get();
        }
        assertThat(device).hasViolationsOfKind(ViolationKind.GUARD_TAG);
    }
}
