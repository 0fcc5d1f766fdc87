package io.staleguard.junit;

import static io.staleguard.device.testing.RaceWaits.awaitDoneOrBlockedByMe;
import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.junit.kit.Kit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * {@code POSITION_RACE} through the extension, with the default {@code failOn}: a reader that emulates a positional
 * read as {@code position(x); read(dst)} on a shared channel (H2's {@code FileBase} before h2database PR #2292, jhdf
 * before PR #701) fails its test on a simulated path and on a FILE path (the extension's verifying channel); the
 * twin that holds one lock over the pair passes. Latches force the interleaving: reader-1 sets its position and
 * waits until reader-2 has read (in the twin: until reader-2 is blocked on reader-1's lock).
 */
class PositionRaceOnPathTest {

    static final int BS = 4096;

    @TempDir
    Path reports;

    /** Reads block 2 in reader-1 and block 3 in reader-2 through one channel; returns reader-1's first byte. */
    static byte race(Path dir, boolean locked) throws Exception {
        Path data = dir.resolve("data.bin");
        byte[] content = new byte[8 * BS];
        for (int b = 0; b < 8; b++) {
            java.util.Arrays.fill(content, b * BS, (b + 1) * BS, (byte) (b + 1));
        }
        Files.write(data, content);
        Object lock = new Object();
        CountDownLatch set = new CountDownLatch(1);
        CountDownLatch otherDone = new CountDownLatch(1);
        ExecutorService one = Executors.newSingleThreadExecutor(r -> new Thread(r, "reader-1"));
        ExecutorService two = Executors.newSingleThreadExecutor(r -> new Thread(r, "reader-2"));
        AtomicReference<Thread> secondThread = new AtomicReference<>();
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            Future<Byte> first = one.submit(() -> read(ch, locked, lock, 2 * BS, () -> {
                set.countDown();
                awaitDoneOrBlockedByMe(otherDone, secondThread);
            }));
            Future<Byte> second = two.submit(() -> {
                secondThread.set(Thread.currentThread());
                await(set, 10_000);
                try {
                    return read(ch, locked, lock, 3 * BS, () -> { });
                } finally {
                    otherDone.countDown();
                }
            });
            if (second.get(20, TimeUnit.SECONDS) != 4) {
                throw new AssertionError("reader-2 read the wrong block");
            }
            return first.get(20, TimeUnit.SECONDS);
        } finally {
            one.shutdownNow();
            two.shutdownNow();
        }
    }

    private static byte read(FileChannel ch, boolean locked, Object lock, long at, Runnable pause) throws IOException {
        if (locked) {
            synchronized (lock) {
                return readAt(ch, at, pause);
            }
        }
        return readAt(ch, at, pause);
    }

    private static byte readAt(FileChannel ch, long at, Runnable pause) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(BS);
        ch.position(at);
        pause.run();
        while (dst.hasRemaining() && ch.read(dst) > 0) {
            // continue a short read at the position
        }
        return dst.get(0);
    }

    private static void await(CountDownLatch latch, long millis) {
        try {
            latch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class OnSimulated {
        @Test
        void buggy(@Device(shortTransfers = 0) Path dir) throws Exception {
            assertThat(race(dir, false)).as("reader-1 read block 4").isEqualTo((byte) 5);
        }

        @Test
        void correct(@Device(shortTransfers = 0) Path dir) throws Exception {
            assertThat(race(dir, true)).isEqualTo((byte) 3);
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class OnFile {
        @Test
        void buggy(@Device(backend = Backend.FILE) Path dir) throws Exception {
            assertThat(race(dir, false)).as("reader-1 read block 4").isEqualTo((byte) 5);
        }

        @Test
        void correct(@Device(backend = Backend.FILE) Path dir) throws Exception {
            assertThat(race(dir, true)).isEqualTo((byte) 3);
        }
    }

    private static Violation theRace(EngineExecutionResults r) {
        Kit.assertCounts(r, 1, 1, 0);
        IoConsistencyError e = (IoConsistencyError) Kit.failure(r, "buggy");
        assertThat(e.counts()).as(e.getMessage()).containsOnlyKeys(ViolationKind.POSITION_RACE);
        assertThat(e.violations()).as(e.getMessage()).hasSize(1);
        Violation v = e.violations().get(0);
        assertThat(v.thread()).isEqualTo("reader-1");
        assertThat(v.expected()).startsWith("position 8192 (set by reader-1: position(8192) at t=");
        assertThat(v.actual()).startsWith("position 16384 (moved by reader-2: a read of 4096 bytes at t=");
        assertThat(v.location()).as("the file and the offset in it").isNotNull();
        assertThat(v.location().path()).endsWith("/data.bin");
        assertThat(v.location().offset()).isEqualTo(4 * BS);
        assertThat(e.getMessage()).contains("position-race", "reproduce with");
        return v;
    }

    @Test
    void onASimulatedPathTheUnlockedReaderFailsAndItsLockedTwinPasses() {
        Violation v = theRace(Kit.run(OnSimulated.class, reports));
        assertThat(v.offset()).as("a device offset on the simulated filesystem").isNotNegative();
    }

    @Test
    void onAFilePathTheUnlockedReaderFailsAndItsLockedTwinPasses() {
        Violation v = theRace(Kit.run(OnFile.class, reports));
        assertThat(v.offset()).as("the file offset on the host").isEqualTo(4 * BS);
    }
}
