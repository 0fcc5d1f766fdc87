package io.staleguard.maven.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two rows of the same scenario or test add up the same way whether a fork adds a run or the merge goal adds a
 * machine's summary (both use {@code plus}).
 */
class StatsRowsTest {

    @Test
    void scenarioRowsAddUpAndKeepTheEarlierReproduceLine() {
        ScenarioStats clean = new ScenarioStats("H1", "MODERN", 3, 300, 0, Map.of(), 0, 0, "");
        ScenarioStats found = new ScenarioStats("H1", "MODERN", 2, 200, 1, Map.of("STALE_READ", 2L), 40, 40, "mvn a");
        ScenarioStats later = new ScenarioStats("H1", "MODERN", 1, 100, 1, Map.of("STALE_READ", 1L, "GUARD_TAG", 1L),
                25, 25, "mvn b");

        ScenarioStats sum = clean.plus(found).plus(later);

        assertThat(sum).isEqualTo(new ScenarioStats("H1", "MODERN", 6, 600, 2,
                Map.of("STALE_READ", 3L, "GUARD_TAG", 1L), 25, 40, "mvn a"));
        // 0 means "no violating run", so it never wins the minimum, from either side.
        assertThat(found.plus(clean).opsToFirstMin()).isEqualTo(40);
        assertThat(clean.plus(clean).opsToFirstMin()).isZero();
        assertThat(later.plus(found).firstReproduce()).isEqualTo("mvn b");
    }

    @Test
    void testRowsAddUpAndKeepTheEarlierFirstFailure() {
        TestStats passed = new TestStats("a.B", "m", 4, 0, 40, 4096, Map.of(), "", "", 0);
        TestStats failed = new TestStats("a.B", "m", 1, 1, 10, 512, Map.of("GUARD_TAG", 1L), "mvn x", "boom", 0);
        TestStats again = new TestStats("a.B", "m", 1, 1, 10, 512, Map.of("GUARD_TAG", 2L), "mvn y", "bang", 0);

        assertThat(passed.plus(failed).plus(again)).isEqualTo(
                new TestStats("a.B", "m", 6, 2, 60, 5120, Map.of("GUARD_TAG", 3L), "mvn x", "boom", 0));
        assertThat(Counts.sum(Map.of("A", 1L), Map.of("A", 2L, "B", 1L))).isEqualTo(Map.of("A", 3L, "B", 1L));
    }
}
