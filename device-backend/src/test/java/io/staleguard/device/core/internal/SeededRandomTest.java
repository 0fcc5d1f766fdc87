package io.staleguard.device.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Pinned per-operation decisions: a device seed printed by an earlier run must replay the same delays and short
 * transfers. The values were computed before SeededRandom's mixing moved to {@link io.staleguard.device.Seeds}.
 */
class SeededRandomTest {

    @Test
    void decisionsArePinned() {
        assertThat(SeededRandom.bits(42, 7, SeededRandom.DELAY)).isEqualTo(0x13f6b14ab6bf0bc3L);
        assertThat(SeededRandom.unit(42, 7, SeededRandom.DELAY)).isEqualTo((0x13f6b14ab6bf0bc3L >>> 11) * 0x1.0p-53);
        assertThat(SeededRandom.below(42, 7, SeededRandom.DELAY, 1000)).isEqualTo(
                Math.floorMod(0x13f6b14ab6bf0bc3L, 1000L));
        assertThat(SeededRandom.bits(42, 7, SeededRandom.SHORT)).isNotEqualTo(SeededRandom.bits(42, 7, SeededRandom.DELAY));
    }
}
