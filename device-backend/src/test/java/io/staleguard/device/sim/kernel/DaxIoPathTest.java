package io.staleguard.device.sim.kernel;

import static io.staleguard.device.sim.kernel.KernelIoPathTest.aligned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.IoMode;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.sim.SimulatedDevice;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** H4 (001_*) under real threads: the DAX mode of {@link KernelIoPath}. */
class DaxIoPathTest {

    static final int BS = 512;
    static final int PAGE = 4096;

    static SimulatedDevice device(KernelPreset p, long capacity) {
        return SimulatedDevice.builder().capacity(capacity).blockSize(BS).seed(0xDA5L)
                .dmaDelay(Duration.ZERO, Duration.ZERO).ioPath(KernelIoPath.dax(p.config())).build();
    }

    static byte[] load(KernelMapping r, long pos, int n) {
        ByteBuffer b = ByteBuffer.allocate(n);
        r.get(pos, b);
        return b.array();
    }

    static Thread start(String name, ThrowingRunnable body, AtomicReference<Throwable> failure) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, name);
        t.start();
        return t;
    }

    /** The bytes {@link KernelIoPathTest#aligned} fills a buffer with. */
    static byte[] pattern(int n, int fill) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (fill + i);
        }
        return b;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * The interleaving of 001_*, forced: the fault sees the hole and is held; a write allocates the
     * page, invalidates and completes (unlocked) or blocks in its invalidation (entry lock); the fault
     * installs. Same program under both switches.
     */
    @Test
    void forcedFaultWriteRaceLeavesAStaleZeroPageOnlyWithoutTheEntryLock() throws Exception {
        for (KernelPreset p : new KernelPreset[] {KernelPreset.DAX_UNLOCKED_FAULT_2017, KernelPreset.MODERN}) {
            long off = 2 * PAGE;
            try (SimulatedDevice dev = device(p, 1 << 20)) {
                KernelIoPath path = (KernelIoPath) dev.ioPath();
                KernelMapping region = KernelIoPath.map(dev, 0, 16 * PAGE);
                DaxFaultGate gate = KernelIoPath.pauseDaxFault(dev, off + 100);
                assertThat(gate.pageOffset()).isEqualTo(off);
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread reader = start("reader", () -> load(region, off, PAGE), failure);
                assertThat(gate.awaitPaused(Duration.ofSeconds(10))).isEqualTo("reader");
                Thread writer = start("writer", () -> dev.write(aligned(PAGE, 1), off, IoMode.DIRECT), failure);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (writer.isAlive() && path.daxInvalidationWaits() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                boolean writeReturnedWhileFaultHeld = !writer.isAlive();
                gate.release();
                writer.join(10_000);
                reader.join(10_000);
                assertThat(failure.get()).isNull();
                assertThat(writer.isAlive() || reader.isAlive()).isFalse();

                byte[] after = load(region, off, PAGE);
                List<Violation> stale = dev.violations().ofKind(ViolationKind.STALE_READ);
                if (p == KernelPreset.MODERN) {
                    assertThat(writeReturnedWhileFaultHeld).as("invalidation waits on the entry lock").isFalse();
                    assertThat(path.daxInvalidationWaits()).isEqualTo(1);
                    assertThat(after).isEqualTo(pattern(PAGE, 1));
                    assertThat(dev.violations().total()).as(dev.describe()).isZero();
                } else {
                    assertThat(writeReturnedWhileFaultHeld).as("nothing to invalidate, the write returns").isTrue();
                    assertThat(path.daxInvalidationWaits()).isZero();
                    assertThat(after).containsOnly(0);
                    assertThat(stale).as(dev.describe()).hasSize(1);
                    assertThat(stale.get(0).offset()).isEqualTo(off);
                    assertThat(stale.get(0).length()).isEqualTo(PAGE);
                    assertThat(dev.violations().total()).isEqualTo(1);
                }
            }
        }
    }

    /**
     * No page cache: buffered and direct I/O meet the media, holes read as zeros, a mapped store into a
     * hole that a load had mapped to the zero page write-faults the block in and is seen by every reader.
     */
    @Test
    void daxIoGoesToTheMediaAndStoresReplaceZeroPages() throws Exception {
        for (KernelPreset p : new KernelPreset[] {KernelPreset.DAX_UNLOCKED_FAULT_2017, KernelPreset.MODERN}) {
            try (SimulatedDevice dev = device(p, 1 << 20)) {
                KernelIoPath path = (KernelIoPath) dev.ioPath();
                assertThat(path.isDax()).isTrue();
                KernelMapping region = KernelIoPath.map(dev, PAGE, 8 * PAGE);
                assertThat(load(region, 0, PAGE)).containsOnly(0);            // a hole: the zero page
                dev.write(ByteBuffer.wrap(pattern(100, 7)), 3 * PAGE + 10, IoMode.BUFFERED);
                ByteBuffer direct = aligned(PAGE, 0);
                dev.read(direct, 3 * PAGE, IoMode.DIRECT);
                assertThat(direct.get(10)).isEqualTo((byte) 7);
                assertThat(load(region, 2 * PAGE + 10, 100)).isEqualTo(pattern(100, 7));

                region.put(100, ByteBuffer.wrap(pattern(64, 40)));            // page 1 was mapped to the zero page
                region.putLong(8 * PAGE - 8, 0x1122334455667788L);             // a hole never loaded
                assertThat(load(region, 100, 64)).isEqualTo(pattern(64, 40));
                assertThat(region.getLong(8 * PAGE - 8)).isEqualTo(0x1122334455667788L);
                ByteBuffer buffered = ByteBuffer.allocate(64);
                dev.read(buffered, PAGE + 100, IoMode.BUFFERED);
                assertThat(buffered.array()).isEqualTo(pattern(64, 40));
                region.sync();
                dev.flush();
                assertThat(path.cachedPages()).isZero();
                assertThat(dev.violations().total()).as(p + " " + dev.describe()).isZero();
            }
        }
    }

    /** The page-cache path ignores the DAX switch and exposes no DAX state; a DAX path has no cache. */
    @Test
    void pageCacheAndDaxPathsAreTellApart() {
        KernelIoPath cache = new KernelIoPath(KernelPreset.DAX_UNLOCKED_FAULT_2017.config());
        KernelIoPath dax = KernelIoPath.dax(KernelPreset.MODERN.config(), Duration.ofNanos(5_000));
        assertThat(cache.isDax()).isFalse();
        assertThat(cache.daxFaultWindow()).isEqualTo(Duration.ZERO);
        assertThat(dax.isDax()).isTrue();
        assertThat(dax.daxFaultWindow()).isEqualTo(Duration.ofNanos(5_000));
        assertThat(dax.config()).isEqualTo(KernelPreset.MODERN.config());
        assertThat(KernelIoPath.dax(KernelConfig.modern()).daxFaultWindow()).isEqualTo(Duration.ZERO);
    }

    @Test
    void badInputIsNamed() throws Exception {
        assertThatThrownBy(() -> KernelIoPath.dax(KernelConfig.modern(), Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-0.000000001S");
        assertThatThrownBy(() -> KernelIoPath.dax(KernelConfig.modern(), Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT2S");
        assertThatThrownBy(() -> KernelIoPath.dax(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("config");
        try (SimulatedDevice dev = device(KernelPreset.MODERN, 1 << 20)) {
            assertThatThrownBy(() -> KernelIoPath.map(dev, (1 << 20) - PAGE, 2 * PAGE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[" + ((1 << 20) - PAGE) + ", +" + 2 * PAGE + ")").hasMessageContaining("1048576");
            assertThatThrownBy(() -> KernelIoPath.map(dev, -1, PAGE)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[-1, +4096)");
            assertThatThrownBy(() -> KernelIoPath.map(dev, 0, Long.MAX_VALUE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the device");
            assertThatThrownBy(() -> KernelIoPath.pauseDaxFault(dev, 1 << 20))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset 1048576");
            KernelMapping region = KernelIoPath.map(dev, 0, PAGE);
            assertThatThrownBy(() -> region.get(PAGE - 4, ByteBuffer.allocate(8)))
                    .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("[4092, +8)");
            DaxFaultGate idle = KernelIoPath.pauseDaxFault(dev, 0);
            assertThatThrownBy(() -> idle.awaitPaused(Duration.ofMillis(1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("offset 0");
            idle.release();
            assertThat(load(region, 0, 8)).containsOnly(0);                 // a released gate holds nothing
            assertThat(idle.isPaused()).isFalse();
        }
        try (SimulatedDevice plain = SimulatedDevice.builder().capacity(1 << 20).build();
             SimulatedDevice cache = SimulatedDevice.builder().capacity(1 << 20).ioPath(KernelIoPath.of(KernelPreset.MODERN)).build()) {
            assertThatThrownBy(() -> KernelIoPath.pauseDaxFault(plain, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(".dax(...)");
            assertThatThrownBy(() -> KernelIoPath.pauseDaxFault(cache, 0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not DAX");
        }
    }

    /** Closing the device lets a fault held at a gate go on: no thread stays parked. */
    @Test
    void closingTheDeviceReleasesAHeldFault() throws Exception {
        SimulatedDevice dev = device(KernelPreset.MODERN, 1 << 20);
        KernelMapping region = KernelIoPath.map(dev, 0, PAGE);
        DaxFaultGate gate = KernelIoPath.pauseDaxFault(dev, 0);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = start("reader", () -> load(region, 0, PAGE), failure);
        gate.awaitPaused(Duration.ofSeconds(10));
        assertThat(gate.isPaused()).isTrue();
        reader.join(50);
        assertThat(reader.isAlive()).isTrue();
        dev.close();
        reader.join(10_000);
        assertThat(reader.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
    }

    /**
     * Real threads, no gate: each iteration a writer writes a fresh hole (DIRECT and BUFFERED in turn)
     * while two readers fault it in through a mapping, with a seeded fault window of up to 300 us; once
     * the write returned the readers load the page again. The bug preset is caught within a bounded
     * number of iterations, as a STALE_READ of exactly the written page; MODERN never, over all of them.
     */
    @Test
    void stressWritesIntoHolesRacingMappedFaults() throws Exception {
        Stress bug = stress(KernelPreset.DAX_UNLOCKED_FAULT_2017, 400, true);
        System.out.println("DAX stress: " + bug);
        assertThat(bug.firstAt()).as(bug.repro()).isBetween(1, 400);
        assertThat(bug.wrongLoads()).as(bug.repro()).isPositive();
        Stress modern = stress(KernelPreset.MODERN, 1500, false);
        System.out.println("DAX stress: " + modern);
        assertThat(modern.iterations()).isEqualTo(1500);
        assertThat(modern.violations()).as(modern.repro()).isZero();
        assertThat(modern.wrongLoads()).as(modern.repro()).isZero();
    }

    /** What a stress run saw; {@code firstAt} is the 1-based iteration of the first violation (0: none). */
    record Stress(KernelPreset preset, int iterations, int firstAt, long violations, int wrongLoads, long millis,
                  String repro) {
    }

    static Stress stress(KernelPreset p, int iterations, boolean stopAtFirst) throws Exception {
        long seed = 0x5EEDL + p.ordinal();
        long t0 = System.nanoTime();
        try (SimulatedDevice dev = SimulatedDevice.builder().capacity((long) iterations * PAGE).blockSize(BS)
                .seed(seed).dmaDelay(Duration.ZERO, Duration.ofNanos(20_000)).retainedViolations(4 * iterations)
                .ioPath(KernelIoPath.dax(p.config(), Duration.ofNanos(300_000))).build()) {
            String repro = "seed 0x" + Long.toHexString(seed) + ": DaxIoPathTest.stress(KernelPreset." + p + ", "
                    + iterations + ", " + stopAtFirst + ")";
            KernelMapping region = KernelIoPath.map(dev, 0, (long) iterations * PAGE);
            int[] trips = {0};
            int[] firstAt = {0};
            List<Long> wrong = new ArrayList<>();
            // Two trips per iteration: the racing phase, then the check phase; the last thread to arrive
            // at the end of an iteration decides whether to stop, so every thread sees the same decision.
            CyclicBarrier step = new CyclicBarrier(3, () -> {
                if (++trips[0] % 2 == 0 && stopAtFirst && firstAt[0] == 0 && dev.violations().total() > 0) {
                    firstAt[0] = trips[0] / 2;
                }
            });
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> ts = new ArrayList<>();
            ts.add(start("writer", () -> {
                for (int i = 0; i < iterations && firstAt[0] == 0; i++) {
                    dev.write(aligned(PAGE, i), (long) i * PAGE, i % 2 == 0 ? IoMode.DIRECT : IoMode.BUFFERED);
                    step.await();
                    step.await();
                }
            }, failure));
            for (int r = 0; r < 2; r++) {
                ts.add(start("reader-" + r, () -> {
                    for (int i = 0; i < iterations && firstAt[0] == 0; i++) {
                        load(region, (long) i * PAGE, PAGE);
                        step.await();
                        if (!Arrays.equals(load(region, (long) i * PAGE, PAGE), pattern(PAGE, i))) {
                            synchronized (wrong) {
                                wrong.add((long) i * PAGE);
                            }
                        }
                        step.await();
                    }
                }, failure));
            }
            for (Thread t : ts) {
                t.join(60_000);
            }
            assertThat(failure.get()).as(repro).isNull();
            List<Violation> all = dev.violations().all();
            for (Violation v : all) {
                // A racing first load may be flagged too, for part of the page while the write's completion
                // is recorded block by block; a load after the write returned is flagged for the whole page.
                assertThat(v.kind()).as(repro).isEqualTo(ViolationKind.STALE_READ);
                assertThat(v.offset() + v.length()).as(repro).isLessThanOrEqualTo(v.offset() / PAGE * PAGE + PAGE);
            }
            synchronized (wrong) {
                for (long off : wrong) {
                    assertThat(all).as(repro + ": the load of " + off + " after the write returned")
                            .anyMatch(v -> v.offset() == off && v.length() == PAGE);
                }
            }
            synchronized (wrong) {
                return new Stress(p, trips[0] / 2, firstAt[0], dev.violations().total(), wrong.size(),
                        (System.nanoTime() - t0) / 1_000_000, repro);
            }
        }
    }
}
