package io.staleguard.device.sim.kernel;

import static io.staleguard.device.sim.kernel.KernelIoPathTest.BS;
import static io.staleguard.device.sim.kernel.KernelIoPathTest.aligned;
import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.IoMode;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.sim.SimulatedDevice;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Real threads sharing pages: each thread owns every fourth block and writes it through any path
 * (buffered, direct, asynchronous direct, asynchronous buffered), while every thread reads any
 * block through the cache or directly. Blocks of one page belong to different threads, so buffered
 * and direct writes meet in pages, never in blocks. MODERN must stay clean; the same program on a
 * kernel without invalidation must not (so the program can fail).
 */
class KernelIoPathStressTest {

    static final int THREADS = 4;
    static final int OPS = 6000;

    @Test
    void modernStaysCleanWhenThreadsShareEveryPage() throws Exception {
        // -Dstaleguard.stress.seeds=N runs more seeds (a longer hunt for false positives).
        long seeds = Long.getLong("staleguard.stress.seeds", 3);
        for (long seed = 1; seed <= seeds; seed++) {
            SimulatedDevice dev = run(KernelConfig.modern(), seed);
            assertThat(dev.violations().all()).as("violations under MODERN, seed " + seed).isEmpty();
            assertThat(dev.operations()).as("operations").isGreaterThan((long) THREADS * OPS / 2);
        }
    }

    @Test
    void theSameProgramWithoutInvalidationReadsStalePages() throws Exception {
        SimulatedDevice dev = run(KernelPreset.DIO_NO_INVALIDATE.config(), 1);
        assertThat(dev.violations().count(ViolationKind.STALE_READ)).isPositive();
        assertThat(dev.violations().counts().keySet()).containsOnly(ViolationKind.STALE_READ);
    }

    private static SimulatedDevice run(KernelConfig cfg, long seed) throws Exception {
        int blocks = 256;
        SimulatedDevice dev = SimulatedDevice.builder().capacity((long) blocks * BS).blockSize(BS).seed(seed)
                .ioPath(KernelIoPath.of(cfg)).build();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int me = t;
            ts.add(new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(seed * 100 + me);
                try {
                    for (int i = 0; i < OPS; i++) {
                        int choice = rnd.nextInt(10);
                        if (choice < 5) {
                            long off = (long) (rnd.nextInt(blocks / THREADS) * THREADS + me) * BS;
                            ByteBuffer buf = aligned(BS, i * 7 + me);
                            switch (choice) {
                                case 0, 1 -> dev.write(buf, off, IoMode.DIRECT);
                                case 2 -> dev.writeAsync(buf, off, IoMode.DIRECT).get();
                                case 3 -> dev.write(buf, off, IoMode.BUFFERED);
                                default -> dev.writeAsync(buf, off, IoMode.BUFFERED).get();
                            }
                        } else {
                            long off = (long) rnd.nextInt(blocks - 8) * BS;
                            if (choice < 8) {
                                dev.read(ByteBuffer.allocate(BS * (1 + rnd.nextInt(8))), off, IoMode.BUFFERED);
                            } else if (choice == 8) {
                                dev.read(aligned(BS * (1 + rnd.nextInt(8)), 0), off, IoMode.DIRECT);
                            } else if (rnd.nextInt(20) == 0) {
                                dev.flush();
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "stress-" + t));
        }
        ts.forEach(Thread::start);
        for (Thread t : ts) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a stress thread failed", failure.get());
        }
        dev.close();
        return dev;
    }
}
