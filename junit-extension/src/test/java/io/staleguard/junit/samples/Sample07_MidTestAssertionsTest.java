package io.staleguard.junit.samples;

import static io.staleguard.junit.StaleguardAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.staleguard.device.IoMode;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.hooks.Gate;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.hooks.Stage;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Sample 07: mid-test assertions, and a bug caught on purpose. {@code StaleguardAssertions} (needs AssertJ on
 * your test classpath) checks what a device recorded so far. Here the buffer of an asynchronous write is reused
 * before the write took its data; the device records a GUARD_TAG violation at that write's block. The first write
 * is held before its DMA with an interleaving hook, so the race happens on every run, not only on a slow device.
 * {@code failOn = {}} hands the verdict to the assertions, so this sample passes because the bug was caught; its
 * twin, which takes a fresh buffer per write, stays clean.
 */
@StaleguardTest
class Sample07_MidTestAssertionsTest {

    @Test
    @StaleguardTest(failOn = {})
    void reusedBufferIsCaught(@Device(size = "4MiB", shortTransfers = 0) SimulatedDevice device) throws Exception {
        Gate gate = device.hooks().pause(OpMatcher.writes().overlapping(4096, 4096).atStage(Stage.DMA));
        ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
        fill(buffer, 1);
        CompletableFuture<Integer> first = device.writeAsync(buffer.duplicate(), 4096, IoMode.BUFFERED);
        gate.awaitPaused(Duration.ofSeconds(10));
        fill(buffer, 2); // the bug: the buffer is refilled for the next record before the first write took it
        CompletableFuture<Integer> second = device.writeAsync(buffer.duplicate(), 8192, IoMode.BUFFERED);
        gate.release();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);

        assertThat(device).hasViolationsOfKind(ViolationKind.GUARD_TAG);
        Violation v = device.violations().ofKind(ViolationKind.GUARD_TAG).get(0);
        assertEquals(4096, v.offset(), "the violation names the first write's block");
    }

    @Test
    void aBufferPerWriteIsClean(@Device(size = "4MiB", shortTransfers = 0) SimulatedDevice device) throws Exception {
        Gate gate = device.hooks().pause(OpMatcher.writes().overlapping(4096, 4096).atStage(Stage.DMA));
        ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
        fill(buffer, 1);
        CompletableFuture<Integer> first = device.writeAsync(buffer, 4096, IoMode.BUFFERED);
        gate.awaitPaused(Duration.ofSeconds(10));
        ByteBuffer next = ByteBuffer.allocateDirect(4096); // the fix: the in-flight buffer is left alone
        fill(next, 2);
        CompletableFuture<Integer> second = device.writeAsync(next, 8192, IoMode.BUFFERED);
        gate.release();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);

        assertThat(device).hasNoViolations();
    }

    private static void fill(ByteBuffer buffer, int record) {
        for (int i = 0; i < buffer.capacity(); i++) {
            buffer.put(i, (byte) record);
        }
    }
}
