package io.staleguard.device.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.IoMode;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A power cycle forgets everything volatile and nothing durable: after it the media is the image
 * (alone or under an overlay), no cached page of the recorded run survives, and the detectors do
 * not mistake the older bytes for stale reads.
 */
class PowerCycleTest {

    static final long SEED = 0x5EEDC0DEL;
    static final int PAGE = 4096;
    static final int PAGES = 64;
    static final int SPAN = PAGES * PAGE;

    static SimulatedDevice device(KernelPreset preset) {
        SimulatedDevice.Builder b = SimulatedDevice.builder().capacity(4L << 20).blockSize(4096).seed(SEED);
        return (preset == null ? b : b.ioPath(KernelIoPath.of(preset))).build();
    }

    static String reproduce(KernelPreset preset) {
        return "preset " + preset + ", seed 0x" + Long.toHexString(SEED)
                + "; reproduce with: mvn test -pl device-backend -Dtest=PowerCycleTest";
    }

    static byte[] pattern(int length, int salt) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + salt + (i >>> 12) * 7);
        }
        return b;
    }

    static ByteBuffer direct(byte[] data, int from, int length) {
        ByteBuffer b = ByteBuffer.allocateDirect(length + PAGE).alignedSlice(PAGE);
        b.put(data, from, length).flip();
        return b;
    }

    static byte[] read(SimulatedDevice dev, long offset, int length, IoMode mode) throws Exception {
        ByteBuffer b = mode == IoMode.DIRECT
                ? ByteBuffer.allocateDirect(length + PAGE).alignedSlice(PAGE).limit(length)
                : ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            int n = dev.read(b, offset + b.position(), mode);
            assertThat(n).isPositive();
        }
        byte[] out = new byte[length];
        b.flip().get(out);
        return out;
    }

    /** The base: every page written direct and flushed, then frozen. */
    static MediaSnapshot writeBase(SimulatedDevice dev, byte[] base) throws Exception {
        dev.write(direct(base, 0, SPAN), 0, IoMode.DIRECT);
        dev.flush();
        return dev.freezeMedia();
    }

    /**
     * Writes over the whole span without any sync: buffered pages left dirty, direct writes,
     * asynchronous direct writes and sub-page buffered writes, then gives the flusher time to write
     * some of the dirty pages back, so that both volatile and already landed data must vanish.
     */
    static void writeWithoutSync(SimulatedDevice dev, byte[] next) throws Exception {
        for (int p = 0; p < 16; p++) {
            dev.write(ByteBuffer.wrap(next, p * PAGE, PAGE), (long) p * PAGE, IoMode.BUFFERED);
        }
        dev.write(direct(next, 16 * PAGE, 16 * PAGE), 16L * PAGE, IoMode.DIRECT);
        List<CompletableFuture<Integer>> async = new ArrayList<>();
        for (int p = 32; p < 40; p++) {
            async.add(dev.writeAsync(direct(next, p * PAGE, PAGE), (long) p * PAGE, IoMode.DIRECT));
        }
        for (CompletableFuture<Integer> f : async) {
            assertThat(f.get()).isEqualTo(PAGE);
        }
        for (int p = 40; p < PAGES; p++) {
            int at = p * PAGE + 100 + p;
            dev.write(ByteBuffer.wrap(next, at, 1000), at, IoMode.BUFFERED);
        }
        LockSupport.parkNanos(Duration.ofMillis(6).toNanos());
    }

    @ParameterizedTest
    @EnumSource(KernelPreset.class)
    void writeWithoutSyncThenPowerCycleToTheBaseReadsTheBaseEverywhere(KernelPreset preset) throws Exception {
        byte[] base = pattern(SPAN, 7);
        byte[] next = pattern(SPAN, 91);
        try (SimulatedDevice dev = device(preset)) {
            MediaSnapshot snapshot = writeBase(dev, base);
            writeWithoutSync(dev, next);
            assertThat(read(dev, 0, PAGE, IoMode.BUFFERED)).as("the workload's data is visible before the cycle, "
                    + reproduce(preset)).isEqualTo(java.util.Arrays.copyOf(next, PAGE));
            long before = dev.violations().total();

            dev.powerCycle(snapshot);

            KernelIoPath path = (KernelIoPath) dev.ioPath();
            assertThat(path.cachedPages()).as("no page survives the power loss, " + reproduce(preset)).isZero();
            assertThat(read(dev, 0, SPAN, IoMode.BUFFERED)).as("buffered, " + reproduce(preset)).isEqualTo(base);
            assertThat(read(dev, 0, SPAN, IoMode.DIRECT)).as("direct, " + reproduce(preset)).isEqualTo(base);
            // Give a flusher that survived by mistake time to land what it held.
            LockSupport.parkNanos(Duration.ofMillis(6).toNanos());
            assertThat(read(dev, 0, SPAN, IoMode.DIRECT)).as("direct, later, " + reproduce(preset)).isEqualTo(base);
            assertThat(dev.violations().total() - before).as("violations after the cycle, " + reproduce(preset)
                    + ": " + dev.violations().all()).isZero();

            // The restarted device tracks a recovery's own writes as usual.
            byte[] again = pattern(PAGE, 55);
            dev.write(ByteBuffer.wrap(again), 5L * PAGE, IoMode.BUFFERED);
            assertThat(read(dev, 5L * PAGE, PAGE, IoMode.BUFFERED)).isEqualTo(again);
            dev.flush();
            assertThat(read(dev, 5L * PAGE, PAGE, IoMode.DIRECT)).isEqualTo(again);
            assertThat(dev.violations().total() - before).as(reproduce(preset)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(KernelPreset.class)
    void powerCycleToAnOverlayReadsTheOverlayOverTheBase(KernelPreset preset) throws Exception {
        byte[] base = pattern(SPAN, 3);
        try (SimulatedDevice dev = device(preset)) {
            MediaSnapshot snapshot = writeBase(dev, base);
            writeWithoutSync(dev, pattern(SPAN, 77));
            byte[] durable = pattern(PAGE, 11);
            byte[] kept = pattern(PAGE, 12);
            byte[] newer = pattern(PAGE, 13);
            BlockOverlay point = new BlockOverlay(4096);
            point.put(3, durable);
            point.put(5, kept);
            BlockOverlay state = new BlockOverlay(point);
            state.put(5, newer);
            state.put(PAGES + 2, kept);                    // beyond the base's written span: was never written
            long before = dev.violations().total();

            dev.powerCycle(snapshot, state);

            byte[] expected = base.clone();
            System.arraycopy(durable, 0, expected, 3 * PAGE, PAGE);
            System.arraycopy(newer, 0, expected, 5 * PAGE, PAGE);
            assertThat(read(dev, 0, SPAN, IoMode.BUFFERED)).as(reproduce(preset)).isEqualTo(expected);
            assertThat(read(dev, 0, SPAN, IoMode.DIRECT)).as(reproduce(preset)).isEqualTo(expected);
            assertThat(read(dev, (long) (PAGES + 2) * PAGE, PAGE, IoMode.DIRECT)).isEqualTo(kept);
            assertThat(read(dev, (long) (PAGES + 1) * PAGE, PAGE, IoMode.DIRECT)).isEqualTo(new byte[PAGE]);

            // A recovery's write lands in scratch; the next cycle to the same state discards it.
            byte[] recovery = pattern(PAGE, 99);
            dev.write(direct(recovery, 0, PAGE), 3L * PAGE, IoMode.DIRECT);
            assertThat(read(dev, 3L * PAGE, PAGE, IoMode.DIRECT)).isEqualTo(recovery);
            assertThat(dev.crashStateWrites()).isEqualTo(1);
            dev.powerCycle(snapshot, state);
            assertThat(dev.crashStateWrites()).isZero();
            assertThat(read(dev, 3L * PAGE, PAGE, IoMode.BUFFERED)).isEqualTo(durable);
            assertThat(state.get(3)).isEqualTo(durable);
            assertThat(dev.violations().total() - before).as("violations (PI of overlay blocks, stale reads), "
                    + reproduce(preset) + ": " + dev.violations().all()).isZero();
        }
    }

    @Test
    void daxPathComesBackWithFreshMappingEntries() throws Exception {
        byte[] base = pattern(SPAN, 41);
        KernelIoPath dax = KernelIoPath.dax(KernelPreset.MODERN.config());
        try (SimulatedDevice dev = SimulatedDevice.builder().capacity(4L << 20).blockSize(4096).seed(SEED).ioPath(dax)
                .build()) {
            MediaSnapshot snapshot = writeBase(dev, base);
            dev.write(ByteBuffer.wrap(pattern(SPAN, 42)), 0, IoMode.BUFFERED);
            byte[] mapped = new byte[PAGE];
            KernelIoPath.map(dev, 0, SPAN).get(0, ByteBuffer.wrap(mapped));
            assertThat(mapped).isEqualTo(java.util.Arrays.copyOf(pattern(SPAN, 42), PAGE));
            long before = dev.violations().total();
            dev.powerCycle(snapshot);
            KernelIoPath.map(dev, 0, SPAN).get(0, ByteBuffer.wrap(mapped));
            assertThat(mapped).as(reproduce(null) + ", DAX").isEqualTo(java.util.Arrays.copyOf(base, PAGE));
            assertThat(read(dev, 0, SPAN, IoMode.BUFFERED)).isEqualTo(base);

            // A page the workload allocated beyond the base reads as the crash state has it.
            long beyond = (long) PAGES * PAGE;
            dev.write(ByteBuffer.wrap(pattern(PAGE, 43)), beyond, IoMode.BUFFERED);
            KernelIoPath.map(dev, beyond, PAGE).get(0, ByteBuffer.wrap(mapped));
            BlockOverlay state = new BlockOverlay(4096);
            state.put(PAGES, pattern(PAGE, 44));
            dev.powerCycle(snapshot, state);
            KernelIoPath.map(dev, beyond, PAGE).get(0, ByteBuffer.wrap(mapped));
            assertThat(mapped).as(reproduce(null) + ", DAX overlay").isEqualTo(pattern(PAGE, 44));
            assertThat(dev.violations().total() - before).as(dev.violations().all().toString()).isZero();
        }
    }

    @Test
    void theEndImageComesBackAfterCrashStatesAndTheBaseStaysAsFrozen() throws Exception {
        byte[] base = pattern(SPAN, 21);
        byte[] next = pattern(SPAN, 22);
        try (SimulatedDevice dev = device(null)) {
            MediaSnapshot snapshot = writeBase(dev, base);
            dev.write(direct(next, 0, SPAN), 0, IoMode.DIRECT);
            MediaSnapshot end = dev.freezeMedia();
            dev.write(direct(pattern(SPAN, 23), 0, SPAN), 0, IoMode.DIRECT);   // after the end image: lost

            BlockOverlay one = new BlockOverlay(4096);
            one.put(1, pattern(PAGE, 24));
            dev.powerCycle(snapshot, one);
            assertThat(read(dev, 0, PAGE, IoMode.DIRECT)).isEqualTo(java.util.Arrays.copyOf(base, PAGE));
            dev.powerCycle(end);
            assertThat(read(dev, 0, SPAN, IoMode.DIRECT)).isEqualTo(next);
            dev.write(direct(pattern(PAGE, 25), 0, PAGE), 0, IoMode.DIRECT);    // copy-on-write: the image keeps its page
            dev.powerCycle(snapshot);
            assertThat(read(dev, 0, SPAN, IoMode.DIRECT)).isEqualTo(base);
            dev.powerCycle(end);
            assertThat(read(dev, 0, SPAN, IoMode.DIRECT)).isEqualTo(next);

            byte[] image = new byte[SPAN];
            snapshot.read(0, image, 0, SPAN);
            assertThat(image).isEqualTo(base);
            assertThat(dev.violations().total()).as(dev.violations().all().toString()).isZero();
        }
    }

    @Test
    void pendingShortTransfersDieWithThePower() throws Exception {
        try (SimulatedDevice dev = SimulatedDevice.builder().capacity(1 << 20).seed(SEED)
                .shortTransferProbability(1.0).build()) {
            MediaSnapshot snapshot = dev.freezeMedia();
            int n = dev.write(direct(pattern(4 * PAGE, 1), 0, 4 * PAGE), 0, IoMode.DIRECT);
            assertThat(n).as("the write is cut short, seed 0x%x", SEED).isLessThan(4 * PAGE);
            assertThat(dev.shortTransfers().pending()).isEqualTo(1);
            dev.powerCycle(snapshot);
            assertThat(dev.shortTransfers().pending()).isZero();
            dev.finish();
            assertThat(dev.violations().count(ViolationKind.SHORT_TRANSFER)).isZero();
        }
    }

    @Test
    void suspendedDelaysMakeSynchronousCallsImmediate() throws Exception {
        try (SimulatedDevice dev = SimulatedDevice.builder().capacity(1 << 20).seed(SEED)
                .dmaDelay(Duration.ofMillis(2), Duration.ofMillis(2)).build()) {
            ByteBuffer page = direct(pattern(PAGE, 1), 0, PAGE);
            long t0 = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                dev.write(page.duplicate(), (long) i * PAGE, IoMode.DIRECT);
            }
            long delayed = System.nanoTime() - t0;
            assertThat(delayed).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
            dev.suspendDelays(true);
            // A descheduled test thread can make any one round slow on a loaded machine, never fast: the fastest of
            // five rounds is the one that tells. With the delays still on, every round takes at least 20 ms.
            long fastest = Long.MAX_VALUE;
            for (int round = 0; round < 5; round++) {
                long t1 = System.nanoTime();
                for (int i = 0; i < 10; i++) {
                    dev.write(page.duplicate(), (long) i * PAGE, IoMode.DIRECT);
                }
                fastest = Math.min(fastest, System.nanoTime() - t1);
            }
            assertThat(fastest).as("the fastest of five rounds of 10 writes, against %d ns delayed", delayed)
                    .isLessThan(delayed / 2);
            dev.suspendDelays(false);
            long t2 = System.nanoTime();
            dev.write(page.duplicate(), 0, IoMode.DIRECT);
            assertThat(System.nanoTime() - t2).isGreaterThanOrEqualTo(Duration.ofMillis(2).toNanos());
        }
    }

    @Test
    void badUseIsRefusedNamingTheProblem() throws Exception {
        try (SimulatedDevice dev = device(null); SimulatedDevice other = device(null)) {
            MediaSnapshot mine = dev.freezeMedia();
            MediaSnapshot theirs = other.freezeMedia();
            assertThatThrownBy(() -> dev.powerCycle(theirs)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("frozen from");
            assertThatThrownBy(() -> dev.powerCycle(mine, new BlockOverlay(512)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blocks of 512 B");
            BlockOverlay beyond = new BlockOverlay(4096);
            beyond.put(1024, new byte[4096]);
            assertThatThrownBy(() -> dev.powerCycle(mine, beyond)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("overlay block 1024 is beyond the 1024 blocks");
            assertThatThrownBy(() -> new BlockOverlay(4096).put(0, new byte[100]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100 bytes");
            assertThatThrownBy(() -> new BlockOverlay(1000)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1000");
            dev.powerCycle(mine, new BlockOverlay(4096));
            assertThatThrownBy(dev::freezeMedia).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("crash state");
            dev.close();
            assertThatThrownBy(() -> dev.powerCycle(mine)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is closed");
        }
    }
}
