package io.staleguard.device.sim.kernel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/** Extents as the runs of blocks each write allocated; holes between them. */
class ExtentMapTest {

    /** The mappings iomap would walk over {@code [from, to)}, as their end blocks. */
    static List<Long> mappingEnds(ExtentMap m, long from, long to) {
        List<Long> ends = new ArrayList<>();
        for (long b = from; b < to; ) {
            b = m.mappingEnd(b, to);
            ends.add(b);
        }
        return ends;
    }

    @Test
    void oneWriteIsOneExtentAndBlockByBlockWritesAreSingleBlockExtents() {
        ExtentMap m = new ExtentMap(1 << 20);
        m.allocate(10, 4);
        assertThat(mappingEnds(m, 10, 14)).containsExactly(14L);
        for (long b = 20; b < 24; b++) {
            m.allocate(b, 1);
        }
        assertThat(mappingEnds(m, 20, 24)).containsExactly(21L, 22L, 23L, 24L);
        assertThat(m.allocated(9)).isFalse();
        assertThat(m.allocated(10)).isTrue();
    }

    @Test
    void overwritesDoNotSplitAndHolesAreMappingsOfTheirOwn() {
        ExtentMap m = new ExtentMap(1 << 20);
        m.allocate(10, 4);
        m.allocate(11, 1);
        // A write over [8, 16) allocates the holes 8-9 and 14-15: two new extents around the old one.
        m.allocate(8, 8);
        assertThat(mappingEnds(m, 8, 16)).containsExactly(10L, 14L, 16L);
        assertThat(mappingEnds(m, 0, 20)).containsExactly(8L, 10L, 14L, 16L, 20L);
    }

    @Test
    void runsCrossWordAndChunkBoundariesAsOneExtent() {
        ExtentMap m = new ExtentMap(3L * ExtentMap.CHUNK_BLOCKS);
        m.allocate(60, 10);
        assertThat(mappingEnds(m, 60, 70)).containsExactly(70L);
        long c = ExtentMap.CHUNK_BLOCKS;
        m.allocate(c - 100, 300);
        assertThat(mappingEnds(m, c - 100, c + 200)).containsExactly(c + 200);
        m.allocate(c + 200, 1);
        assertThat(mappingEnds(m, c - 100, c + 201)).containsExactly(c + 200, c + 201);
        // The last chunk is partly used; the end of the device bounds everything.
        m.allocate(3 * c - 5, 100);
        assertThat(m.allocated(3 * c - 1)).isTrue();
        assertThat(mappingEnds(m, 3 * c - 8, 3 * c)).containsExactly(3 * c - 5, 3 * c);
    }

    /** Two writes racing into the same hole: each block goes to one of them, and each write's run is its own extent. */
    @Test
    void concurrentWritesToOneHoleNeverShareAnExtent() throws Exception {
        for (int round = 0; round < 50; round++) {
            ExtentMap m = new ExtentMap(1024);
            CyclicBarrier start = new CyclicBarrier(2);
            Thread a = new Thread(() -> {
                await(start);
                m.allocate(0, 128);
            });
            Thread b = new Thread(() -> {
                await(start);
                m.allocate(64, 128);
            });
            a.start();
            b.start();
            a.join();
            b.join();
            List<Long> ends = mappingEnds(m, 0, 192);
            // Either write may have won the overlap [64, 128), but the two writes are two extents.
            assertThat(ends).hasSize(2).endsWith(192L);
            assertThat(ends.get(0)).isIn(64L, 128L);
        }
    }

    static void await(CyclicBarrier b) {
        try {
            b.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
