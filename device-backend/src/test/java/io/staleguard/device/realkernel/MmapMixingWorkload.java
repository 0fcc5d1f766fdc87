package io.staleguard.device.realkernel;

import io.staleguard.device.IoMode;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.file.MappedRegion;
import io.staleguard.device.file.RealBlockDevice;
import io.staleguard.device.file.RingBufferWorkload;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The workload the kernel documents as unsupported: mmap stores racing O_DIRECT writes to the
 * same range, with a buffered reader and mapped loads checking what they see. With
 * {@code racing == false} the stores and the direct writes use separate ranges (supported).
 */
final class MmapMixingWorkload {

    static final int REGION_BLOCKS = 16;

    record Result(long operations, long mappedStores, Map<ViolationKind, Long> violations, long millis,
                  String msyncError, Map<String, Long> mixingBreakdown) {
    }

    /** What the detectors saw on mixed blocks before the reclassification (from the retained violations). */
    static Map<String, Long> breakdown(RealBlockDevice device) {
        Map<String, Long> m = new java.util.TreeMap<>();
        for (var v : device.violations().ofKind(ViolationKind.UNSUPPORTED_MIXING)) {
            String d = v.detail();
            String key = d.startsWith("msync") ? "msync EIO" : d.replaceAll("(?s).*would otherwise be reported as ([a-z-]+).*", "$1");
            m.merge(key, 1L, Long::sum);
        }
        return m;
    }

    private final RealBlockDevice device;
    private final long seed;
    private final int iterations;
    private final boolean racing;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong stores = new AtomicLong();
    /** The program's own synchronization of its stores and its reads (a correct program has it). */
    private final Object appLock = new Object();

    MmapMixingWorkload(RealBlockDevice device, long seed, int iterations, boolean racing) {
        this.device = device;
        this.seed = seed;
        this.iterations = iterations;
        this.racing = racing;
    }

    Result run() throws Exception {
        int bs = device.logicalBlockSize();
        long opsBefore = device.operations();
        Map<ViolationKind, Long> before = Map.copyOf(device.violations().counts());
        long t0 = System.nanoTime();
        MappedRegion region = device.map(0, REGION_BLOCKS * bs);
        long directBase = racing ? 0 : (long) REGION_BLOCKS * bs;
        Thread storer = new Thread(() -> guard(() -> {
            SplittableRandom rnd = new SplittableRandom(seed);
            byte[] bytes = new byte[64];
            for (int i = 0; i < iterations; i++) {
                rnd.nextBytes(bytes);
                int at = rnd.nextInt(REGION_BLOCKS * bs - bytes.length);
                synchronized (appLock) {
                    region.put(at, bytes);
                }
                stores.incrementAndGet();
            }
        }), "mmap-storer");
        Thread writer = new Thread(() -> guard(() -> {
            SplittableRandom rnd = new SplittableRandom(seed + 1);
            ByteBuffer b = ByteBuffer.allocateDirect(2 * bs).alignedSlice(bs).limit(bs);
            for (int i = 0; i < iterations; i++) {
                RingBufferWorkload.fill(b, i, seed, bs);
                b.clear().limit(bs);
                device.write(b, directBase + (long) rnd.nextInt(REGION_BLOCKS) * bs, IoMode.DIRECT);
            }
        }), "dio-writer");
        Thread reader = new Thread(() -> guard(() -> {
            SplittableRandom rnd = new SplittableRandom(seed + 2);
            ByteBuffer b = ByteBuffer.allocate(bs);
            byte[] loaded = new byte[bs];
            for (int i = 0; i < iterations; i++) {
                int blk = rnd.nextInt(2 * REGION_BLOCKS);
                synchronized (appLock) {
                    b.clear();
                    device.read(b, (long) blk * bs, IoMode.BUFFERED);
                    if (blk < REGION_BLOCKS) {
                        region.get(blk * bs, loaded);
                    }
                }
            }
        }), "reader");
        storer.start();
        writer.start();
        reader.start();
        storer.join();
        writer.join();
        reader.join();
        String msyncError = "";
        try {
            region.force();
        } catch (java.io.IOException e) {
            msyncError = e.getMessage();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("mmap workload failed on " + device.describe(), failure.get());
        }
        Map<ViolationKind, Long> found = new EnumMap<>(ViolationKind.class);
        device.violations().counts().forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d > 0) {
                found.put(k, d);
            }
        });
        return new Result(device.operations() - opsBefore + stores.get(), stores.get(), found,
                (System.nanoTime() - t0) / 1_000_000, msyncError, breakdown(device));
    }

    private interface Body {
        void run() throws Exception;
    }

    private void guard(Body body) {
        try {
            body.run();
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }
}
