package io.staleguard.device.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.sim.kernel.internal.ThreadedPrograms;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The detection table under real threads, with natural windows only: every historical bug is caught
 * in at least 80 % of the runs, with its kind and where its program puts it; every MODERN row is clean.
 */
class ThreadedDetectionTest {

    static final int RUNS = 5;
    static final int PAGE = ThreadedPrograms.PAGE;

    @Test
    void everyBugIsCaughtNaturallyAndModernStaysClean() throws Exception {
        ThreadedDetection.Report report = ThreadedDetection.run(
                new ThreadedDetection.Settings(RUNS, 20_000, Duration.ofMillis(200)));
        String table = report.toMarkdown();
        System.out.print(table);
        assertThat(report.rows()).hasSize(2 * Hazard.values().length);
        for (ThreadedDetection.Row row : report.rows()) {
            String what = row.hazard() + " under " + row.preset() + "\n" + table;
            if (!row.bug()) {
                assertThat(row.violations()).as(what + "false positives; repro: "
                        + row.violatingSeeds().stream().map(row::repro).toList()).isZero();
                assertThat(row.operations()).as(what).isPositive();
                continue;
            }
            assertThat(row.preset()).isEqualTo(row.hazard().historicalBug());
            assertThat(row.detected()).as(what + "missed seeds " + row.missedSeeds() + ", e.g. "
                    + row.missedSeeds().stream().findFirst().map(row::repro).orElse("")).isGreaterThanOrEqualTo(4);
            assertThat(row.kinds()).as(what).containsOnly(row.hazard().expectedKind());
            assertThat(row.medianFirstNanos()).isPositive().isLessThanOrEqualTo(row.worstFirstNanos());
            for (ThreadedDetection.Run run : row.runs()) {
                run.first().ifPresent(v -> assertWhere(row.hazard(), v, row.repro(run.seed())));
            }
        }
        assertThat(report.asExpected(0.8)).isTrue();
        assertThat(table).contains("| H5 | IOMAP_DIO_PARTIAL_2022 | ", "| H4 | MODERN | - | - | - | none | 0 / ");
    }

    /** Where each program's violation must be: the block its race or its reader got wrong. */
    private static void assertWhere(Hazard h, Violation v, String repro) {
        switch (h) {
            case H1, H2 -> {
                assertThat(v.offset() % PAGE).as(repro).isZero();
                assertThat(v.length()).as(repro).isEqualTo(PAGE);
                assertThat(v.offset()).as(repro).isLessThan((long) ThreadedPrograms.RING * PAGE);
            }
            case H3 -> {
                assertThat(v.length()).as(repro).isEqualTo(512);
                assertThat(v.offset()).as(repro).isLessThan(8L * PAGE);
            }
            case H4 -> assertThat(v.offset() + v.length()).as(repro + ": within one page")
                    .isLessThanOrEqualTo(v.offset() / PAGE * PAGE + PAGE);
            case H5 -> {
                assertThat(v.offset() % (4 * PAGE)).as(repro + ": the three extents after the first")
                        .isEqualTo(PAGE);
                assertThat(v.length()).as(repro).isEqualTo(3L * PAGE);
            }
        }
        assertThat(v.kind()).as(repro).isEqualTo(h.expectedKind());
    }

    @Test
    void kernelMainRefusesBadThreadsOptions() {
        for (String[] args : new String[][] {{"threads", "--runs", "zero"}, {"threads", "--runs", "0"},
            {"threads", "--seeds", "3"}, {"threads", "--runs"}}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = KernelMain.run(args, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(status).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("error: ");
        }
        assertThatThrownBy(() -> new ThreadedDetection.Settings(1, 0, Duration.ofMillis(1)))
                .hasMessageContaining("budget").hasMessageContaining("0");
    }
}
