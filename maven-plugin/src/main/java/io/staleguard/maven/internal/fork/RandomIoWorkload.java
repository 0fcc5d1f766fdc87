package io.staleguard.maven.internal.fork;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.Seeds;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A verified random-I/O workload, like fio's {@code --verify} but checked by the device's history
 * oracle and protection information, so overlapping in-flight writes are never false positives.
 * Two threads mix synchronous and asynchronous, direct and buffered reads and writes of 1–8
 * aligned blocks at random offsets. The workload itself is a correct program: it continues short
 * transfers and never touches a buffer before its asynchronous write completed, so every
 * violation is the platform's.
 */
final class RandomIoWorkload {

    static final int THREADS = 2;

    /** Each thread does at least this many operations, so even a device that took the whole budget to set up is used. */
    static final int MIN_OPS_PER_THREAD = 64;

    private final BlockDevice device;
    private final long seed;
    private final AtomicLong operations = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    RandomIoWorkload(BlockDevice device, long seed) {
        this.device = device;
        this.seed = seed;
    }

    long operations() {
        return operations.get();
    }

    long bytes() {
        return bytes.get();
    }

    /** Runs until {@code stop} says so; rethrows the first worker failure. */
    void run(BooleanSupplier stop) throws IOException, InterruptedException {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < THREADS; t++) {
            SplittableRandom random = new SplittableRandom(Seeds.mix(seed + t));
            IoCaller caller = IoCaller.newCaller("soak-io-" + t, true);
            Thread th = new Thread(() -> {
                try {
                    loop(random, caller, stop);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "soak-io-" + t);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        if (!failures.isEmpty()) {
            Throwable f = failures.get(0);
            throw f instanceof IOException io ? io : new IOException("workload thread failed: " + f, f);
        }
    }

    private void loop(SplittableRandom random, IoCaller caller, BooleanSupplier stop)
            throws IOException, InterruptedException, ExecutionException {
        int bs = device.logicalBlockSize();
        long blocks = device.capacity() / bs;
        ByteBuffer raw = ByteBuffer.allocateDirect(9 * bs);
        ByteBuffer buffer = raw.alignedSlice(bs);
        for (int done = 0; done < MIN_OPS_PER_THREAD || !stop.getAsBoolean(); done++) {
            int n = 1 + random.nextInt(8);
            long offset = random.nextLong(blocks - n + 1) * bs;
            IoMode mode = random.nextInt(4) == 0 ? IoMode.BUFFERED : IoMode.DIRECT;
            boolean async = random.nextInt(3) == 0;
            ByteBuffer b = buffer.duplicate().clear().limit(n * bs);
            if (random.nextBoolean()) {
                for (int i = 0; i < n * bs; i += 8) {
                    b.putLong(i, random.nextLong());
                }
                transfer(b, offset, mode, async, caller, true);
            } else {
                transfer(b, offset, mode, async, caller, false);
            }
            operations.incrementAndGet();
            bytes.addAndGet((long) n * bs);
        }
    }

    /** Moves the whole buffer, continuing short transfers where they stopped (as correct callers must). */
    private void transfer(ByteBuffer b, long offset, IoMode mode, boolean async, IoCaller caller, boolean write)
            throws IOException, InterruptedException, ExecutionException {
        long at = offset;
        while (b.hasRemaining()) {
            int start = b.position();
            int done;
            if (async) {
                done = write ? device.writeAsync(b, at, mode, caller).get() : device.readAsync(b, at, mode, caller).get();
            } else {
                done = write ? device.write(b, at, mode, caller) : device.read(b, at, mode, caller);
            }
            if (done <= 0) {
                return;
            }
            // Set explicitly: the contract advances the position, and this keeps that true for async calls too.
            b.position(start + done);
            at += done;
        }
    }
}
