package com.example.blocks;

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

/**
 * Two readers of one {@link BlockReader}: reader-1 asks for block 2 and, between its {@code position} and its
 * {@code read}, waits (at most 200 ms) for reader-2 to read block 3. Returns the first byte reader-1 got.
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
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            BlockReader reader = new BlockReader(ch, BS, locked);
            Future<Byte> first = one.submit(() -> reader.read(2, () -> {
                set.countDown();
                await(otherDone, 200);
            }).get(0));
            Future<Byte> second = two.submit(() -> {
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

    private static void await(CountDownLatch latch, long millis) {
        try {
            latch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
