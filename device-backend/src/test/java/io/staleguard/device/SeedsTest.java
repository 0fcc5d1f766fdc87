package io.staleguard.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Pinned derived seeds. Reproduce lines printed by earlier runs (the JUnit extension's test seeds, the soak goal's
 * run seeds) must still replay, so these values were computed by the two implementations this class replaced
 * (junit-extension {@code Seeds}, maven-plugin {@code SeedSpace}) before the move, and must never change.
 */
class SeedsTest {

    @Test
    void testSeedsArePinned() {
        String id = "[engine:junit-jupiter]/[class:com.example.FooTest]/[method:bar()]";
        assertThat(Seeds.derive(0x5eed, id)).isEqualTo(0x308f7ed26d4e70beL);
        assertThat(Seeds.derive(0, "")).isEqualTo(0xf52a15e9a9b5e89bL);
        assertThat(Seeds.derive(-1L, "fs")).isEqualTo(0x50f0b8d71313c95bL);
        assertThat(Seeds.derive(42, "name:журнал")).isEqualTo(0x14cd32f1ed0bf749L);
    }

    @Test
    void indexedChildrenAreNamedRoleHashIndex() {
        assertThat(Seeds.derive(42, "rewriter", 3)).isEqualTo(0x39ea768057a08388L);
        assertThat(Seeds.derive(42, "rewriter", 3)).isEqualTo(Seeds.derive(42, "rewriter#3"));
        assertThat(Seeds.derive(42, "rewriter", 3)).isNotEqualTo(Seeds.derive(42, "rewriter", 4));
    }

    @Test
    void runSeedsArePinned() {
        assertThat(Seeds.run(42, "workload", 0)).isEqualTo(0x94cbd3829588de79L);
        assertThat(Seeds.run(42, "H1/default", 7)).isEqualTo(0x8014cf4c38ee79e0L);
        assertThat(Seeds.run(0x5eedL, "tests", 16)).isEqualTo(0xc539b14bc43702fbL);
        assertThat(Seeds.run(-1L, "", 0)).isEqualTo(0x8685ccf9b5d283cfL);
    }

    @Test
    void hashAndMixAreTheStandardFunctions() {
        // FNV-1a 64 offset basis and the published hash of "a"; SplitMix64's finalizer maps 0 to 0.
        assertThat(Seeds.fnv1a("")).isEqualTo(0xcbf29ce484222325L);
        assertThat(Seeds.fnv1a("a")).isEqualTo(0xaf63dc4c8601ec8cL);
        assertThat(Seeds.mix(0)).isZero();
        assertThat(Seeds.mix(12345)).isEqualTo(0xf36cf1164265dd51L);
        assertThat(Seeds.mix(0x5eedL + 3)).isEqualTo(0x7f9e8e64cb77e414L);
    }

    @Test
    void seedsRoundTripThroughTheirReproduceLineText() {
        assertThat(Seeds.hex(0x5eedL)).isEqualTo("0x0000000000005eed");
        assertThat(Seeds.hex(-1L)).isEqualTo("0xffffffffffffffff");
        assertThat(Seeds.parse("0xFFFFFFFFFFFFFFFF")).isEqualTo(-1L);
        assertThat(Seeds.parse(" 42 ")).isEqualTo(42L);
        assertThat(Seeds.parse("-7")).isEqualTo(-7L);
        assertThat(Seeds.parse("0x5e_ed")).isEqualTo(0x5eedL);
        assertThat(Seeds.parse(Seeds.hex(-123456789L))).isEqualTo(-123456789L);
        assertThatThrownBy(() -> Seeds.parse("0xZZ")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Seeds.parse("0x1ffffffffffffffff")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Seeds.parse("")).isInstanceOf(NumberFormatException.class);
    }
}
