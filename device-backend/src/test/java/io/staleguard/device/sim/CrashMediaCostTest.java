package io.staleguard.device.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.staleguard.device.IoMode;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * What a crash state costs: the blocks in which it differs, never a copy of the device. A 1 GiB
 * device holding 10 MiB of data is frozen once; mounting a state that differs in 3 blocks keeps the
 * media's allocation unchanged and allocates less than 64 KiB besides the overlay's own blocks.
 */
class CrashMediaCostTest {

    static final long SEED = 0xC0575L;
    static final int BLOCK = 4096;
    static final int DATA = 10 << 20;
    static final long LIMIT = 64 * 1024;

    static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void aStateDifferingInThreeBlocksCostsThoseBlocks() throws Exception {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "needs per-thread allocation counters");
        try (SimulatedDevice dev = SimulatedDevice.builder().capacity(1L << 30).blockSize(BLOCK).seed(SEED).build()) {
            ByteBuffer data = ByteBuffer.allocateDirect((1 << 20) + BLOCK).alignedSlice(BLOCK);
            for (int i = 0; i < data.capacity(); i++) {
                data.put(i, (byte) (i * 13 + 5));
            }
            for (long off = 0; off < DATA; off += data.capacity()) {
                dev.write(data.duplicate(), off, IoMode.DIRECT);
            }
            dev.flush();
            MediaSnapshot base = dev.freezeMedia();
            long media = dev.allocatedMediaBytes();

            BlockOverlay state = new BlockOverlay(BLOCK);
            long[] blocks = {7, 1000, 2047};                 // three different media chunks and PI chunks
            for (long b : blocks) {
                byte[] block = new byte[BLOCK];
                java.util.Arrays.fill(block, (byte) b);
                state.put(b, block);
            }
            assertThat(state.size()).isEqualTo(3);

            long best = Long.MAX_VALUE;
            for (int round = 0; round < 20; round++) {       // warm: the first cycles load classes and link lambdas
                long before = allocated();
                dev.powerCycle(base, state);
                best = Math.min(best, allocated() - before);
            }
            assertThat(best).as("bytes allocated by one power cycle into a 3-block state, seed 0x%x", SEED)
                    .isLessThan(LIMIT);
            assertThat(dev.allocatedMediaBytes()).as("no media chunk copied").isEqualTo(media);

            ByteBuffer one = ByteBuffer.allocateDirect(2 * BLOCK).alignedSlice(BLOCK).limit(BLOCK);
            dev.read(one, 1000L * BLOCK, IoMode.DIRECT);
            assertThat(one.get(0)).isEqualTo((byte) 1000);
            one.clear().limit(BLOCK);
            dev.read(one, 8L * BLOCK, IoMode.DIRECT);
            assertThat(one.get(1)).isEqualTo(data.get(8 * BLOCK % data.capacity() + 1));
            assertThat(dev.violations().total()).as(dev.violations().all().toString()).isZero();

            // Back to the end image: pointer copies only, and the base was never written.
            long before = allocated();
            dev.powerCycle(base);
            assertThat(allocated() - before).isLessThan(LIMIT);
            assertThat(dev.allocatedMediaBytes()).isEqualTo(media);
        }
    }

    @Test
    void afterAFreezeOnlyTheFirstWriteToAChunkCopiesIt() throws Exception {
        try (SimulatedDevice dev = SimulatedDevice.builder().capacity(64L << 20).blockSize(BLOCK).seed(SEED).build()) {
            ByteBuffer page = ByteBuffer.allocateDirect(2 * BLOCK).alignedSlice(BLOCK).limit(BLOCK);
            for (long off = 0; off < (4L << 20); off += BLOCK) {
                dev.write(page.duplicate(), off, IoMode.DIRECT);
            }
            long media = dev.allocatedMediaBytes();
            dev.freezeMedia();
            assertThat(dev.allocatedMediaBytes()).as("a freeze copies nothing").isEqualTo(media);
            dev.write(page.duplicate(), 0, IoMode.DIRECT);
            dev.write(page.duplicate(), BLOCK, IoMode.DIRECT);
            // The live media now holds one private copy of the first 256 KiB chunk; the image keeps the original.
            assertThat(dev.allocatedMediaBytes()).isEqualTo(media);
            long before = allocated();
            for (int i = 0; i < 1000; i++) {
                dev.write(page.duplicate(), (long) (i % 64) * BLOCK, IoMode.DIRECT);
            }
            long perOp = (allocated() - before) / 1000;
            assertThat(perOp).as("bytes per 4 KiB direct write to an already copied chunk").isLessThan(1024);
        }
    }
}
