package io.staleguard.device.sim.kernel.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Runs of blocks with owners: the lookups the kernel path makes per operation, and the changes a filesystem makes. */
class BlockRunsTest {

    private final Object a = "a";
    private final Object b = "b";

    @Test
    void findsTheRunOfABlockAndWhereItMapsTo() {
        BlockRuns r = BlockRuns.EMPTY.with(10, 100, 5, a).with(20, 200, 2, b);
        assertThat(r.find(9)).isEqualTo(-1);
        assertThat(r.find(12)).isZero();
        assertThat(r.target(0, 12)).isEqualTo(102);
        assertThat(r.find(15)).isEqualTo(-1);
        assertThat(r.nextStart(15)).isEqualTo(20);
        assertThat(r.owner(r.find(21))).isSameAs(b);
        assertThat(r.nextStart(21)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aRunThatContinuesTheOneBeforeForTheSameOwnerMergesWithIt() {
        BlockRuns r = BlockRuns.EMPTY.with(0, 50, 4, a).with(4, 54, 4, a);
        assertThat(r.size()).isEqualTo(1);
        assertThat(r.end(0)).isEqualTo(8);
        assertThat(BlockRuns.EMPTY.with(0, 50, 4, a).with(4, 54, 4, b).size()).as("another owner").isEqualTo(2);
        assertThat(BlockRuns.EMPTY.with(0, 50, 4, a).with(4, 60, 4, a).size()).as("not contiguous").isEqualTo(2);
    }

    @Test
    void removingARangeCutsTheRunsAcrossItsEdges() {
        BlockRuns r = BlockRuns.EMPTY.with(0, 100, 10, a).with(20, 300, 10, b).without(5, 25);
        assertThat(r.size()).isEqualTo(2);
        assertThat(r.end(0)).isEqualTo(5);
        assertThat(r.start(1)).isEqualTo(25);
        assertThat(r.target(1, 25)).isEqualTo(305);
        assertThat(r.find(7)).isEqualTo(-1);
        assertThat(r.without(40, 50)).as("nothing there: the same runs").isSameAs(r);
    }

    @Test
    void aBlockIsMappedOnceOnly() {
        BlockRuns r = BlockRuns.EMPTY.with(10, 100, 5, a);
        assertThatThrownBy(() -> r.with(12, 0, 1, b)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[12, +1)");
        assertThatThrownBy(() -> r.with(8, 0, 3, b)).isInstanceOf(IllegalStateException.class);
    }
}
