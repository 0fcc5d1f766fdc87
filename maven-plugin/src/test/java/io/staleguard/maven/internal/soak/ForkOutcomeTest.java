package io.staleguard.maven.internal.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.maven.internal.Fixtures;
import io.staleguard.maven.internal.check.KindSelection;
import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.check.Verdict;
import io.staleguard.maven.internal.fork.SoakConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForkOutcomeTest {

    @TempDir
    Path dir;

    private SoakConfig config() {
        return new SoakConfig(dir.toString(), dir.resolve("soak-work").toString(), "", "x:y", 5000, 1000, "MODERN", "",
                1, 1, 7, "", 100, 1 << 20, 10_000, 0);
    }

    @Test
    void aCleanEndIsComplete() throws Exception {
        Fixtures.soak(dir, "1/1", 10, 0);
        assertThat(ForkOutcome.settle(0, "", dir, config()).kind()).isEqualTo(ForkOutcome.Kind.COMPLETE);
    }

    @Test
    void aConfigurationErrorCarriesItsLine() throws Exception {
        ForkOutcome o = ForkOutcome.settle(2, "staleguard.kernel='X': unknown kernel preset 'X'", dir, config());
        assertThat(o.kind()).isEqualTo(ForkOutcome.Kind.CONFIG_ERROR);
        assertThat(o.message()).isEqualTo("staleguard.kernel='X': unknown kernel preset 'X'");
    }

    @Test
    void aCrashAfterACheckpointKeepsItsCountsAndFailsTheCheck() throws Exception {
        Fixtures.soak(dir, "1/1", 123, 1);
        Path f = dir.resolve("soak-summary.json");
        Files.writeString(f, Files.readString(f).replace("\"COMPLETE\"", "\"RUNNING\""));

        ForkOutcome o = ForkOutcome.settle(137, "", dir, config());

        assertThat(o.kind()).isEqualTo(ForkOutcome.Kind.CRASHED);
        assertThat(o.message()).contains("exit code 137").contains("NOT a clean run");
        ReportSet reports = ReportSet.read(dir);
        assertThat(reports.soak()).hasValueSatisfying(s -> {
            assertThat(s.status()).isEqualTo("CRASHED");
            assertThat(s.operations()).isEqualTo(123);
        });
        assertThat(Verdict.of(reports, KindSelection.parse("NONE"), 0).failed()).as("crashed fails even with no kinds")
                .isTrue();
        assertThat(Files.readString(dir.resolve("TEST-staleguard-soak.xml"))).contains("errors=\"1\"")
                .contains("CRASHED");
    }

    @Test
    void aCrashBeforeAnyCheckpointStillLeavesACrashedSummary() throws Exception {
        ForkOutcome o = ForkOutcome.settle(1, "", dir, config());
        assertThat(o.kind()).isEqualTo(ForkOutcome.Kind.CRASHED);
        assertThat(ReportSet.read(dir).soak()).hasValueSatisfying(s -> {
            assertThat(s.status()).isEqualTo("CRASHED");
            assertThat(s.statusDetail()).contains("before its first checkpoint");
        });
    }

    @Test
    void exitZeroWithoutASummaryIsNotClean() throws Exception {
        assertThat(ForkOutcome.settle(0, "", dir, config()).kind()).isEqualTo(ForkOutcome.Kind.CRASHED);
    }

    @Test
    void aSignalWithAPartialSummaryIsInterrupted() throws Exception {
        Fixtures.soak(dir, "1/1", 10, 0);
        Path f = dir.resolve("soak-summary.json");
        Files.writeString(f, Files.readString(f).replace("\"COMPLETE\"", "\"INTERRUPTED\""));
        assertThat(ForkOutcome.settle(143, "", dir, config()).kind()).isEqualTo(ForkOutcome.Kind.INTERRUPTED);
    }
}
