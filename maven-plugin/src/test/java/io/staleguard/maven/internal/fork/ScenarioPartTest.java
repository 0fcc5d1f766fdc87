package io.staleguard.maven.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.model.SoakSummary;
import io.staleguard.maven.internal.model.ViolationFile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scenario part against the real simulated kernel stack: the bug caught with its replay line, the fix clean. */
class ScenarioPartTest {

    @TempDir
    Path dir;

    private SoakContext context(List<String> presets) {
        return context(presets, 1);
    }

    private SoakContext context(List<String> presets, int threads) {
        SoakConfig config = new SoakConfig(dir.toString(), dir.resolve("work").toString(), "", "t", 1000, 1000,
                String.join(",", presets), "", 1, 1, 42, "", 100, 1 << 20, 10_000, threads);
        return new SoakContext(config, new SeedSpace(42, 1, 1), new SoakStats(config, presets, "now", System.nanoTime()),
                new AtomicBoolean(), new PrintStream(PrintStream.nullOutputStream()));
    }

    @Test
    void historicalPresetIsCaughtWithTimelineMinimalLogAndReplayLine() throws Exception {
        KernelScenarioEngine engine = new KernelScenarioEngine(10_000);
        SoakContext ctx = context(List.of("AIO_DIO_IRQ_COMPLETION_2008"));
        ScenarioPart part = new ScenarioPart(engine, List.of("AIO_DIO_IRQ_COMPLETION_2008"));
        part.prepare(ctx);

        long found = part.runOne(ctx, "H2", "AIO_DIO_IRQ_COMPLETION_2008", 7);

        assertThat(found).isPositive();
        SoakSummary s = ctx.stats.summary("COMPLETE", "");
        assertThat(s.counts()).containsKey("STALE_READ");
        assertThat(s.violations()).first().satisfies(e -> {
            assertThat(e.name()).isEqualTo("H2 on AIO_DIO_IRQ_COMPLETION_2008");
            assertThat(e.seed()).isEqualTo("0x0000000000000007");
            assertThat(e.reproduce()).isEqualTo("mvn staleguard:soak staleguard:check "
                    + "-Dstaleguard.kernel=AIO_DIO_IRQ_COMPLETION_2008 -Dstaleguard.replay=H2:0x0000000000000007");
            assertThat(e.violation().kind()).isEqualTo("STALE_READ");
        });
        ViolationFile file = new ReportSet(dir, List.of(), java.util.Optional.of(s))
                .violationFile(s.violations().get(0).file()).orElseThrow();
        assertThat(file.timeline()).isNotEmpty();
        assertThat(file.minimalTimeline()).isNotEmpty().hasSizeLessThanOrEqualTo(file.timeline().size());

        // Same seed, same verdict: the replay the reproduce line asks for.
        SoakContext again = context(List.of("AIO_DIO_IRQ_COMPLETION_2008"));
        assertThat(part.runOne(again, "H2", "AIO_DIO_IRQ_COMPLETION_2008", 7)).isEqualTo(found);
        assertThat(again.stats.summary("REPLAY", "").violations().get(0).violation())
                .isEqualTo(s.violations().get(0).violation());
    }

    @Test
    void modernIsCleanOnEveryHazard() throws Exception {
        KernelScenarioEngine engine = new KernelScenarioEngine(2_000);
        SoakContext ctx = context(List.of("MODERN"));
        ScenarioPart part = new ScenarioPart(engine, List.of("MODERN"));
        part.prepare(ctx);
        for (String h : engine.hazards()) {
            for (long seed = 1; seed <= 3; seed++) {
                assertThat(part.runOne(ctx, h, "MODERN", seed)).as(h + " seed " + seed).isZero();
            }
        }
        SoakSummary s = ctx.stats.summary("COMPLETE", "");
        assertThat(s.scenarios()).hasSize(5).allSatisfy(r -> assertThat(r.runs()).isEqualTo(3));
        assertThat(s.operations()).isPositive();
        assertThat(s.counts()).isEmpty();
    }

    @Test
    void presetSpecs() {
        KernelScenarioEngine engine = new KernelScenarioEngine(1);
        assertThat(engine.presets("ALL")).startsWith("MODERN").hasSizeGreaterThan(5);
        assertThat(engine.presets("modern,MODERN")).containsExactly("MODERN");
        assertThatThrownBy(() -> engine.presets("NOPE")).hasMessageContaining("unknown kernel preset 'NOPE'");
        assertThat(engine.hazardOf("AIO_DIO_IRQ_COMPLETION_2008")).isEqualTo("H2");
        assertThat(engine.hazardOf("MODERN")).isEmpty();
    }

    @Test
    void twoThreadsRunEveryPairAtLeastOnceAndKeepViolationIdsUnique() throws Exception {
        List<String> presets = List.of("MODERN", "AIO_DIO_IRQ_COMPLETION_2008", "STABLE_PAGES_NONE_2011");
        SoakContext ctx = context(presets, 2);
        ScenarioPart part = new ScenarioPart(new KernelScenarioEngine(2_000), presets);
        part.prepare(ctx);
        assertThat(part.describe()).endsWith("(2 threads)");

        part.run(ctx, System.nanoTime() + 500_000_000L);

        SoakSummary s = ctx.stats.summary("COMPLETE", "");
        assertThat(s.scenarios()).hasSize(15).allSatisfy(r -> assertThat(r.runs()).isPositive());
        assertThat(s.scenarios()).filteredOn(r -> r.preset().equals("MODERN"))
                .allSatisfy(r -> assertThat(r.runsWithViolations()).isZero());
        assertThat(s.scenarios()).filteredOn(r -> r.key().equals("H2@AIO_DIO_IRQ_COMPLETION_2008")
                || r.key().equals("H3@STABLE_PAGES_NONE_2011"))
                .hasSize(2).allSatisfy(r -> assertThat(r.runsWithViolations()).isEqualTo(r.runs()));
        assertThat(s.violations()).extracting(e -> e.id()).doesNotHaveDuplicates();
    }
}
