package io.staleguard.device.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.IoMode;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.sim.SimulatedDevice;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The simulated stack under real threads, as a SimulatedDevice's I/O path. */
class KernelIoPathTest {

    static final int BS = 512;

    static SimulatedDevice device(KernelConfig cfg) {
        return SimulatedDevice.builder().capacity(1 << 20).blockSize(BS).seed(7).ioPath(KernelIoPath.of(cfg)).build();
    }

    static SimulatedDevice device(KernelIoPath path) {
        return SimulatedDevice.builder().capacity(1 << 20).blockSize(BS).seed(7).ioPath(path).build();
    }

    static ByteBuffer aligned(int n, int fill) {
        ByteBuffer b = ByteBuffer.allocateDirect(n + BS).alignedSlice(BS);
        b.limit(n);
        for (int i = 0; i < n; i++) {
            b.put(i, (byte) (fill + i));
        }
        return b;
    }

    static byte[] readBuffered(SimulatedDevice dev, long off, int n) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(n);
        dev.read(b, off, IoMode.BUFFERED);
        return b.array();
    }

    /** Read-ahead caches a page beyond the reader; a direct write completes; the reader gets the old page. */
    @Test
    void staleReadAheadPageAfterDirectWriteWithoutInvalidationAndCleanTwin() throws Exception {
        for (KernelPreset p : new KernelPreset[] {KernelPreset.DIO_NO_INVALIDATE, KernelPreset.MODERN}) {
            try (SimulatedDevice dev = device(p.config())) {
                readBuffered(dev, 0, 4096);                       // miss: read-ahead window of 4 pages
                assertThat(((KernelIoPath) dev.ioPath()).cachedPages()).isGreaterThanOrEqualTo(4);
                dev.write(aligned(4096, 1), 8192, IoMode.DIRECT); // page 2, cached by read-ahead
                byte[] got = readBuffered(dev, 8192, 4096);
                List<Violation> stale = dev.violations().ofKind(ViolationKind.STALE_READ);
                if (p == KernelPreset.MODERN) {
                    assertThat(dev.violations().total()).as(p.name()).isZero();
                    assertThat(got[0]).isEqualTo((byte) 1);
                } else {
                    assertThat(stale).as(p.name()).isNotEmpty();
                    assertThat(stale.get(0).offset()).isBetween(8192L, 8192L + 4096 - BS);
                    assertThat(got[0]).isZero();
                }
            }
        }
    }

    /** The async completion switch alone decides: irq completion leaves the page, process context drops it. */
    @Test
    void asyncDirectWriteCompletionContext() throws Exception {
        KernelConfig irq = KernelConfig.builder().directWriteInvalidation(DirectWriteInvalidation.NONE)
                .asyncWriteCompletion(AsyncWriteCompletion.IRQ_NO_INVALIDATE).build();
        KernelConfig process = irq.toBuilder()
                .asyncWriteCompletion(AsyncWriteCompletion.PROCESS_CONTEXT_BEFORE_SIGNAL).build();
        for (KernelConfig c : List.of(irq, process)) {
            try (SimulatedDevice dev = device(c)) {
                readBuffered(dev, 0, 4096);
                dev.writeAsync(aligned(4096, 9), 4096, IoMode.DIRECT).get();
                readBuffered(dev, 4096, 4096);
                long stale = dev.violations().count(ViolationKind.STALE_READ);
                if (c == irq) {
                    assertThat(stale).isPositive();
                } else {
                    assertThat(dev.violations().total()).isZero();
                }
            }
        }
    }

    /** The workqueue runs after the completion: a read right after it is stale, a read after the kworker is not. */
    @Test
    void workqueueInvalidationAfterTheSignalIsSometimesWrong() throws Exception {
        KernelConfig wq = KernelConfig.builder().directWriteInvalidation(DirectWriteInvalidation.NONE)
                .asyncWriteCompletion(AsyncWriteCompletion.WORKQUEUE_AFTER_SIGNAL).build();
        // The kworker runs 300 ms after the completion: wide enough that the read below always falls inside.
        try (SimulatedDevice dev = device(new KernelIoPath(wq, 1024, 300_000_000L, 2_000_000L))) {
            readBuffered(dev, 0, 4096);
            dev.writeAsync(aligned(4096, 5), 4096, IoMode.DIRECT).get();
            readBuffered(dev, 4096, 4096);
            long early = dev.violations().count(ViolationKind.STALE_READ);
            assertThat(early).isPositive();
            // The kworker's invalidation drops page 1 from the cache.
            KernelIoPath path = (KernelIoPath) dev.ioPath();
            int cached = path.cachedPages();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (path.cachedPages() >= cached && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(path.cachedPages()).isLessThan(cached);
            byte[] late = readBuffered(dev, 4096, 4096);
            assertThat(late[0]).isEqualTo((byte) 5);
            assertThat(dev.violations().count(ViolationKind.STALE_READ)).isEqualTo(early);
        }
    }

    /** Darrick's scribbler: stores through a mapping while writeback runs. */
    @Test
    void mappedScribblerBreaksTheGuardUnlessPageMkwriteWaits() throws Exception {
        assertThat(scribble(KernelPreset.STABLE_PAGES_NONE_2011, 10_000)).isPositive();
        assertThat(scribble(KernelPreset.STABLE_PAGES_WRITE_ONLY_2011, 10_000)).isPositive();
        assertThat(scribble(KernelPreset.MODERN, 1_500)).isZero();
        assertThat(scribble(KernelPreset.STABLE_PAGES_BOUNCE_2011, 1_500)).isZero();
    }

    /** Runs the scribbler until a guard violation or {@code millis}; returns the GUARD_TAG count. */
    static long scribble(KernelPreset p, long millis) throws Exception {
        try (SimulatedDevice dev = SimulatedDevice.builder().capacity(1 << 20).blockSize(BS).seed(3)
                .ioPath(new KernelIoPath(p.config(), 1024, 200_000, 500_000)).build()) {
            KernelMapping r = KernelIoPath.map(dev, 0, 16 * 4096);
            long deadline = System.nanoTime() + millis * 1_000_000;
            long i = 0;
            while (System.nanoTime() < deadline && dev.violations().count(ViolationKind.GUARD_TAG) == 0) {
                r.putLong((i * 8) % (16 * 4096), i);
                i++;
            }
            dev.flush();
            assertThat(dev.violations().count(ViolationKind.STALE_READ)).isZero();
            return dev.violations().count(ViolationKind.GUARD_TAG);
        }
    }

    /** write() threads only: Darrick's second patch holds ("working for the pure pwrite() case"). */
    @Test
    void writeOnlyWaitHoldsForPwrite() throws Exception {
        assertThat(pwriteStorm(KernelPreset.STABLE_PAGES_NONE_2011, 10_000)).isPositive();
        assertThat(pwriteStorm(KernelPreset.STABLE_PAGES_WRITE_ONLY_2011, 1_500)).isZero();
    }

    static long pwriteStorm(KernelPreset p, long millis) throws Exception {
        try (SimulatedDevice dev = SimulatedDevice.builder().capacity(1 << 20).blockSize(BS).seed(3)
                .ioPath(new KernelIoPath(p.config(), 1024, 200_000, 500_000)).build()) {
            long deadline = System.nanoTime() + millis * 1_000_000;
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                long seed = t;
                ts.add(new Thread(() -> {
                    SplittableRandom rnd = new SplittableRandom(seed);
                    try {
                        while (System.nanoTime() < deadline && dev.violations().count(ViolationKind.GUARD_TAG) == 0) {
                            byte[] blob = new byte[1 + rnd.nextInt(64)];
                            rnd.nextBytes(blob);
                            dev.write(ByteBuffer.wrap(blob), rnd.nextInt(8 * 4096 - 64), IoMode.BUFFERED);
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, "writer-" + t));
            }
            ts.forEach(Thread::start);
            for (Thread t : ts) {
                t.join();
            }
            dev.flush();
            return dev.violations().count(ViolationKind.GUARD_TAG);
        }
    }

    /**
     * No false positives under MODERN, from several threads, for the patterns the kernel supports: the
     * first half of the device takes direct writes with buffered and direct reads racing them (000_*'s
     * pattern); the second half takes buffered writes, mapped stores and loads, buffered reads and
     * direct reads (which write dirty pages back first). Buffered and direct writes to the same pages
     * at the same time are not mixed: Linux does not support that ("we don't support it 100%") and
     * the page-granular writeback can then overwrite a direct write, which the oracle would rightly
     * report.
     */
    @Test
    void modernSupportedMixesFromThreadsStayClean() throws Exception {
        int half = 128 * 1024;
        try (SimulatedDevice dev = SimulatedDevice.builder().capacity(2L * half).blockSize(BS).seed(11)
                .ioPath(KernelIoPath.of(KernelPreset.MODERN)).build()) {
            KernelMapping map = KernelIoPath.map(dev, half, half);
            AtomicBoolean failed = new AtomicBoolean();
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int id = t;
                ts.add(new Thread(() -> {
                    SplittableRandom rnd = new SplittableRandom(id);
                    try {
                        for (int i = 0; i < 4000; i++) {
                            boolean direct = rnd.nextBoolean();
                            long base = direct ? 0 : half;
                            long off = base + (long) rnd.nextInt(half / BS - 8) * BS;
                            int op = rnd.nextInt(4);
                            if (direct) {
                                switch (op) {
                                    case 0 -> dev.write(aligned(BS * (1 + rnd.nextInt(8)), i), off, IoMode.DIRECT);
                                    case 1 -> dev.writeAsync(aligned(BS * 2, i), off, IoMode.DIRECT).get();
                                    case 2 -> dev.read(aligned(BS * (1 + rnd.nextInt(8)), 0), off, IoMode.DIRECT);
                                    default -> dev.read(ByteBuffer.allocate(1 + rnd.nextInt(8192)), off,
                                            IoMode.BUFFERED);
                                }
                            } else {
                                byte[] blob = new byte[1 + rnd.nextInt(3000)];
                                rnd.nextBytes(blob);
                                switch (op) {
                                    case 0 -> dev.write(ByteBuffer.wrap(blob), off + rnd.nextInt(BS), IoMode.BUFFERED);
                                    case 1 -> {
                                        if (id == 0) {
                                            map.putLong(off - half, i);
                                        } else {
                                            map.getLong(off - half);
                                        }
                                    }
                                    case 2 -> dev.read(aligned(BS * (1 + rnd.nextInt(4)), 0), off, IoMode.DIRECT);
                                    default -> dev.read(ByteBuffer.allocate(1 + rnd.nextInt(8192)), off,
                                            IoMode.BUFFERED);
                                }
                            }
                        }
                    } catch (Exception e) {
                        failed.set(true);
                        throw new RuntimeException(e);
                    }
                }, "io-" + t));
            }
            ts.forEach(Thread::start);
            for (Thread t : ts) {
                t.join();
            }
            dev.flush();
            assertThat(failed).isFalse();
            assertThat(dev.violations().all()).as("violations").isEmpty();
        }
    }

    @Test
    void mapRefusesDevicesWithoutTheKernelPathAndBadRanges() throws Exception {
        try (SimulatedDevice plain = SimulatedDevice.builder().capacity(1 << 16).build()) {
            assertThatThrownBy(() -> KernelIoPath.map(plain, 0, 4096)).hasMessageContaining("no simulated kernel path");
        }
        try (SimulatedDevice dev = device(KernelConfig.modern())) {
            assertThatThrownBy(() -> KernelIoPath.map(dev, (1 << 20) - 100, 4096)).hasMessageContaining("outside");
            KernelMapping r = KernelIoPath.map(dev, 4096, 4096);
            assertThatThrownBy(() -> r.getLong(4090)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("4090");
            r.putLong(8, 42);
            assertThat(r.getLong(8)).isEqualTo(42);
            r.sync();
            ByteBuffer direct = aligned(BS, 0);
            dev.read(direct, 4096, IoMode.DIRECT);
            assertThat(direct.getLong(8)).isEqualTo(42);
        }
        assertThatThrownBy(() -> new KernelIoPath(KernelConfig.modern(), 10, 0, 1)).hasMessageContaining("maxPages");
    }
}
