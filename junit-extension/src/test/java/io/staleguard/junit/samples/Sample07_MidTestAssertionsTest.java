package io.staleguard.junit.samples;

import static io.staleguard.junit.StaleguardAssertions.assertThat;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoMode;
import io.staleguard.device.ViolationKind;
import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import java.nio.ByteBuffer;
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
        var first = device.writeAsync(buffer, 0, IoMode.BUFFERED);
        buffer.clear();
        buffer.put(0, (byte) 1); // the bug: the write above has not taken the data yet
        first.get();
        assertThat(device).hasViolationsOfKind(ViolationKind.GUARD_TAG);
    }
}
