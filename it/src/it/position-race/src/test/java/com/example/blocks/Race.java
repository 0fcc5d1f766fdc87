package com.example.blocks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Two readers of one {@link BlockReader}: reader-1 asks for block 2 and, between its {@code position} and its
 * {@code read}, waits for reader-2 to read block 3 (with the locked reader: until reader-2 is blocked on reader-1's
 * lock). Returns the first byte reader-1 got.
 */
final class Race {

    static final int BS = 4096;

    private Race() {
    }

    static byte run(Path dir, boolean locked) throws Exception {
        Path data = dir.resolve("blocks.dat");
        byte[] content = new byte[8 * BS];
        for (int b = 0; b < 8; b++) {
            Arrays.fill(content, b * BS, (b + 1) * BS, (byte) (b + 1));
        }
        Files.write(data, content);
        CountDownLatch set = new CountDownLatch(1);
        CountDownLatch otherDone = new CountDownLatch(1);
        ExecutorService one = Executors.newSingleThreadExecutor(r -> new Thread(r, "reader-1"));
        ExecutorService two = Executors.newSingleThreadExecutor(r -> new Thread(r, "reader-2"));
        AtomicReference<Thread> secondThread = new AtomicReference<>();
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            BlockReader reader = new BlockReader(ch, BS, locked);
            Future<Byte> first = one.submit(() -> reader.read(2, () -> {
                set.countDown();
                awaitDoneOrBlockedByMe(otherDone, secondThread);
            }).get(0));
            Future<Byte> second = two.submit(() -> {
                secondThread.set(Thread.currentThread());
                await(set, 10_000);
                try {
                    return reader.read(3, () -> { }).get(0);
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

    /**
     * Waits until {@code done}, or until {@code other} is blocked on a lock the calling thread holds (then waiting
     * on would deadlock). It waits for a state, never for a time: a fixed wait (it was 200 ms) let reader-1 go on
     * before reader-2 had read when a loaded machine did not run reader-2 in time, and the race was missed. The
     * deadline only ends a run whose other thread never got there.
     */
    static void awaitDoneOrBlockedByMe(CountDownLatch done, AtomicReference<Thread> other) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().getId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (!done.await(1, TimeUnit.MILLISECONDS) && System.nanoTime() - deadline < 0) {
                Thread t = other.get();
                ThreadInfo info = t == null ? null : threads.getThreadInfo(t.getId());
                if (info != null && info.getLockOwnerId() == me) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch, long millis) {
        try {
            latch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
