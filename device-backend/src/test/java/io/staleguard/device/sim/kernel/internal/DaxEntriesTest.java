package io.staleguard.device.sim.kernel.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The DAX entry model on its own: what a fault installs, what a write's invalidation drops. */
class DaxEntriesTest {

    @Test
    void aHoleMapsTheZeroPageAndABlockReplacesIt() {
        DaxEntries d = new DaxEntries(4);
        assertThat(d.target(1)).isEqualTo(DaxEntries.NONE);
        assertThat(d.install(d.grab(1), DaxEntries.NONE)).isFalse();
        assertThat(d.target(1)).isEqualTo(DaxEntries.ZERO_PAGE);
        assertThat(d.install(d.grab(1), 7)).as("a block replaced the zero page").isTrue();
        assertThat(d.target(1)).isEqualTo(7);
        assertThat(d.install(d.grab(1), DaxEntries.NONE)).as("a stale hole lookup keeps the block").isFalse();
        assertThat(d.target(1)).isEqualTo(7);
    }

    @Test
    void theUnlockedRaceLeavesAZeroPageOverAFreshBlock() {
        DaxEntries d = new DaxEntries(4);
        int lookup = DaxEntries.NONE;                 // the fault sees a hole
        assertThat(d.drop(2)).isEqualTo(DaxEntries.NONE);   // the write allocates; nothing to invalidate
        d.install(d.grab(2), lookup);                  // the fault maps the zero page over the new block
        assertThat(d.target(2)).isEqualTo(DaxEntries.ZERO_PAGE);
    }

    @Test
    void theEntryLockIsHeldFromLockToInstallOrAbandon() {
        DaxEntries d = new DaxEntries(4);
        DaxEntries.Entry e = d.lock(0);
        assertThat(d.isLocked(0)).isTrue();
        assertThat(d.target(0)).isEqualTo(DaxEntries.NONE);
        assertThatThrownBy(() -> d.lock(0)).isInstanceOf(IllegalStateException.class);
        d.abandon(0, e);
        assertThat(d.has(0)).as("an entry never installed goes").isFalse();
        DaxEntries.Entry f = d.lock(0);
        d.install(f, 3);
        assertThat(d.isLocked(0)).isFalse();
        assertThat(d.drop(0)).isEqualTo(3);
        assertThat(d.size()).isZero();
    }

    @Test
    void aPunchDropsEveryEntry() {
        DaxEntries d = new DaxEntries(3000);
        for (long p = 0; p < 3000; p += 7) {
            d.install(d.grab(p), (int) p);
        }
        d.clear();
        assertThat(d.size()).isZero();
        assertThat(d.target(7)).isEqualTo(DaxEntries.NONE);
    }
}
