package io.staleguard.device.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExtentListTest {

    @Test
    void lookupsFindExtentsAndHoles() {
        ExtentList m = ExtentList.EMPTY.with(0, 100, 4).with(10, 50, 2);
        assertThat(m.size()).isEqualTo(2);
        assertThat(m.deviceBlock(3)).isEqualTo(103);
        assertThat(m.deviceBlock(4)).isEqualTo(-1);
        assertThat(m.runFrom(1)).isEqualTo(3);
        assertThat(m.runFrom(5)).isEqualTo(5);
        assertThat(m.runFrom(12)).isEqualTo(Long.MAX_VALUE);
        assertThat(m.bytesFrom(4096 + 10, 4096)).isEqualTo(3 * 4096 - 10);
        assertThat(m.deviceOffset(1, 11 * 4096 + 7, 4096)).isEqualTo(51 * 4096 + 7);
        assertThat(m.allocatedBlocks()).isEqualTo(6);
    }

    @Test
    void adjacentExtentsOnAdjacentBlocksMerge() {
        ExtentList m = ExtentList.EMPTY.with(0, 10, 2).with(4, 14, 2).with(2, 12, 2);
        assertThat(m.size()).isEqualTo(1);
        assertThat(m.blocksAt(0)).isEqualTo(6);
        assertThat(ExtentList.EMPTY.with(0, 10, 2).with(2, 30, 1).size()).isEqualTo(2);
    }

    @Test
    void truncationFreesWhatIsCut() {
        ExtentList m = ExtentList.EMPTY.with(0, 100, 4).with(6, 200, 4);
        List<long[]> freed = new ArrayList<>();
        ExtentList t = m.truncatedTo(2, (first, count) -> freed.add(new long[] {first, count}));
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.blocksAt(0)).isEqualTo(2);
        assertThat(freed).containsExactly(new long[] {102, 2}, new long[] {200, 4});
        assertThat(m.truncatedTo(0, (a, b) -> { }).size()).isZero();
    }

    @Test
    void punchingAHoleSplitsAndFreesTheMiddle() {
        ExtentList m = ExtentList.EMPTY.with(0, 100, 10).with(20, 300, 2);
        List<long[]> freed = new ArrayList<>();
        ExtentList h = m.without(3, 4, (first, count) -> freed.add(new long[] {first, count}));
        assertThat(h.size()).isEqualTo(3);
        assertThat(h.deviceBlock(2)).isEqualTo(102);
        assertThat(h.deviceBlock(3)).isEqualTo(-1);
        assertThat(h.deviceBlock(7)).isEqualTo(107);
        assertThat(h.deviceBlock(21)).isEqualTo(301);
        assertThat(freed).containsExactly(new long[] {103, 4});
    }
}
