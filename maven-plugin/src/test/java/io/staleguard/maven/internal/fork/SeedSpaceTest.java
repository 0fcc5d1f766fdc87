package io.staleguard.maven.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.Seeds;
import org.junit.jupiter.api.Test;

/**
 * Pinned run seeds: a soak summary prints each failing run's seed and the line that replays it, so the derivation
 * must give the same value in every later version. The values were computed by the implementation of 2026-11-21,
 * before seed derivation moved to device-backend; they must never change.
 */
class SeedSpaceTest {

    @Test
    void runSeedsArePinned() {
        SeedSpace whole = new SeedSpace(42, 1, 1);
        assertThat(whole.seed("workload", 0)).isEqualTo(0x94cbd3829588de79L);
        assertThat(whole.seed("H1/default", 7)).isEqualTo(0x8014cf4c38ee79e0L);
        assertThat(new SeedSpace(0x5eedL, 2, 3).seed("tests", 5)).isEqualTo(0xc539b14bc43702fbL);
        assertThat(new SeedSpace(-1L, 1, 1).seed("", 0)).isEqualTo(0x8685ccf9b5d283cfL);
        // RandomIoWorkload seeds its threads' generators with mix(seed + thread).
        assertThat(Seeds.mix(12345)).isEqualTo(0xf36cf1164265dd51L);
        assertThat(Seeds.mix(0x5eedL + 3)).isEqualTo(0x7f9e8e64cb77e414L);
    }

    @Test
    void shardsSplitTheIndexSpaceWithoutChangingSeeds() {
        SeedSpace whole = new SeedSpace(0x5eedL, 1, 1);
        SeedSpace second = new SeedSpace(0x5eedL, 2, 3);
        // The 5th run of shard 2 of 3 is run index 1 + 5 * 3 = 16 of the whole space.
        assertThat(second.index(5)).isEqualTo(16);
        assertThat(second.seed("tests", 5)).isEqualTo(whole.seed("tests", 16));
    }
}
