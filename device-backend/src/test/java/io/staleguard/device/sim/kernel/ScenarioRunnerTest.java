package io.staleguard.device.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.TimelineEvent;
import io.staleguard.device.Violation;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ScenarioRunnerTest {

    static Stream<Arguments> bugs() {
        return Stream.of(
                Arguments.of(Hazard.H1, Hazard.Mode.STANDARD, KernelPreset.DIO_NO_POST_INVALIDATE_2007),
                Arguments.of(Hazard.H1, Hazard.Mode.STANDARD, KernelPreset.DIO_NO_INVALIDATE),
                Arguments.of(Hazard.H2, Hazard.Mode.STANDARD, KernelPreset.AIO_DIO_IRQ_COMPLETION_2008),
                Arguments.of(Hazard.H3, Hazard.Mode.MMAP, KernelPreset.STABLE_PAGES_NONE_2011),
                Arguments.of(Hazard.H3, Hazard.Mode.WRITE, KernelPreset.STABLE_PAGES_NONE_2011),
                Arguments.of(Hazard.H3, Hazard.Mode.MMAP, KernelPreset.STABLE_PAGES_WRITE_ONLY_2011),
                Arguments.of(Hazard.H4, Hazard.Mode.STANDARD, KernelPreset.DAX_UNLOCKED_FAULT_2017),
                Arguments.of(Hazard.H5, Hazard.Mode.STANDARD, KernelPreset.IOMAP_DIO_PARTIAL_2022));
    }

    /** The buggy kernel is caught with the right kind and location; the same seed under MODERN stays clean. */
    @ParameterizedTest
    @MethodSource("bugs")
    void bugIsCaughtAndItsFixedTwinStaysClean(Hazard h, Hazard.Mode mode, KernelPreset bug) {
        long seed = 7;
        ScenarioResult r = ScenarioRunner.run(h, mode, bug.config(), seed, 1_000_000, true);
        assertThat(r.detected()).as(r.render()).isTrue();
        Violation v = r.firstViolation().orElseThrow();
        assertThat(v.kind()).isEqualTo(h.expectedKind());
        // Location: the violated block is one the shrunk interleaving touches, and the shrunk log reproduces
        // the same kind at the same block.
        assertThat(r.minimalViolation()).isNotNull();
        assertThat(r.minimalViolation().kind()).isEqualTo(v.kind());
        assertThat(r.minimalViolation().lba()).isEqualTo(v.lba());
        assertThat(v.offset()).isEqualTo(v.lba() * 512);
        List<TimelineEvent> min = r.minimalTimeline();
        assertThat(min).isNotEmpty();
        assertThat(min).anyMatch(e -> e.offset() <= v.offset() && v.offset() < e.offset() + Math.max(1, e.length()));
        assertThat(r.minimalOperations()).isPositive().isLessThanOrEqualTo(r.loggedOperations());
        assertThat(r.minimalOperations()).isLessThanOrEqualTo(12);
        assertThat(r.oneMinimal()).isTrue();
        assertThat(r.timeline()).isNotEmpty();
        assertThat(v.timeline()).isEqualTo(r.timeline());
        assertThat(r.reproduce()).contains("run " + h).contains(bug.name()).contains("0x7");
        assertThat(r.render()).contains(v.kind().inWords()).contains("minimal interleaving");

        ScenarioResult fixed = ScenarioRunner.run(h, mode, KernelPreset.MODERN.config(), seed, 200_000, true);
        assertThat(fixed.detected()).as(fixed.render()).isFalse();
        assertThat(fixed.operations()).isEqualTo(200_000);
        assertThat(fixed.virtualNanos()).isPositive();
    }

    @Test
    void timelineTellsKarlSchendelsStory() {
        ScenarioResult r = ScenarioRunner.run(Hazard.H1, KernelPreset.DIO_NO_POST_INVALIDATE_2007.config(), 1, 1_000_000);
        List<String> types = r.minimalTimeline().stream().map(e -> e.type().name()).toList();
        // Write submitted, read-ahead inserts and fills the page from the old media, DMA lands, write returns,
        // the reader gets the cached old page.
        assertThat(types).containsSubsequence("WRITE_SUBMIT", "READAHEAD", "READAHEAD", "WRITE_LAND",
                "WRITE_COMPLETE", "READ_SUBMIT", "READ_COMPLETE");
        assertThat(r.minimalTimeline().get(r.minimalTimeline().size() - 1).note()).contains("served from the page cache");
    }

    @Test
    void sameSeedSameRunBitForBit() {
        for (Hazard h : Hazard.values()) {
            for (KernelPreset p : List.of(h.historicalBug(), KernelPreset.MODERN)) {
                ScenarioResult a = ScenarioRunner.run(h, h.defaultMode(), p.config(), 42, 50_000, true);
                ScenarioResult b = ScenarioRunner.run(h, h.defaultMode(), p.config(), 42, 50_000, true);
                assertThat(b.operations()).isEqualTo(a.operations());
                assertThat(b.virtualNanos()).isEqualTo(a.virtualNanos());
                assertThat(b.violations()).isEqualTo(a.violations());
                assertThat(b.timeline()).isEqualTo(a.timeline());
                assertThat(b.minimalTimeline()).isEqualTo(a.minimalTimeline());
                // Explanation does not change the run.
                ScenarioResult quick = ScenarioRunner.run(h, h.defaultMode(), p.config(), 42, 50_000, false);
                assertThat(quick.operations()).isEqualTo(a.operations());
                assertThat(quick.virtualNanos()).isEqualTo(a.virtualNanos());
                assertThat(quick.violations().stream().map(Violation::summary).toList())
                        .isEqualTo(a.violations().stream().map(Violation::summary).toList());
            }
        }
    }

    @Test
    void differentSeedsInterleaveDifferently() {
        ScenarioResult a = ScenarioRunner.run(Hazard.H4, Hazard.Mode.STANDARD, KernelPreset.MODERN.config(), 1, 20_000,
                false);
        ScenarioResult b = ScenarioRunner.run(Hazard.H4, Hazard.Mode.STANDARD, KernelPreset.MODERN.config(), 2, 20_000,
                false);
        assertThat(a.virtualNanos()).isNotEqualTo(b.virtualNanos());
    }

    @Test
    void badArgumentsNameTheValue() {
        KernelConfig m = KernelConfig.modern();
        assertThatThrownBy(() -> ScenarioRunner.run(Hazard.H1, Hazard.Mode.MMAP, m, 1, 10, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MMAP")
                .hasMessageContaining("STANDARD");
        assertThatThrownBy(() -> ScenarioRunner.run(Hazard.H1, m, 1, 0)).hasMessageContaining("maxOps")
                .hasMessageContaining("0");
    }
}
