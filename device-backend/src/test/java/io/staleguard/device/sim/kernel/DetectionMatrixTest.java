package io.staleguard.device.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.ViolationKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The detection matrix of issue 3 with the CI settings: 100 seeds per row; clean rows (MODERN and the
 * fixes) run 10^7 operations each; the counting runs of the rows that expect violations are shorter than in
 * {@code KernelMain matrix --full} (300,000 instead of 2*10^6 operations per row).
 */
class DetectionMatrixTest {

    static DetectionMatrix.Report report;

    @BeforeAll
    static void runMatrix() {
        report = DetectionMatrix.run(DetectionMatrix.Settings.ci());
        System.out.println(report.toText());
    }

    static DetectionMatrix.Row row(Hazard h, Hazard.Mode m, KernelPreset p) {
        return report.rows().stream().filter(r -> r.hazard() == h && r.mode() == m && r.preset() == p).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + h + " " + m + " " + p));
    }

    @Test
    void everyRowAsThePredicted() {
        assertThat(report.allAsPredicted()).as(report.toText()).isTrue();
        assertThat(report.rows()).hasSize(19);
    }

    @Test
    void historicalBugsAreDetectedInEverySeed() {
        for (Hazard h : Hazard.values()) {
            for (Hazard.Mode m : h.modes()) {
                DetectionMatrix.Row r = row(h, m, h.historicalBug());
                assertThat(r.detectedSeeds()).as(r.label()).isEqualTo(100);
                assertThat(r.kind()).isEqualTo(h.expectedKind());
                assertThat(r.medianOps()).isPositive().isLessThanOrEqualTo(r.worstOps());
                assertThat(r.medianVirtualNanos()).isPositive().isLessThanOrEqualTo(r.worstVirtualNanos());
                assertThat(r.example()).isNotNull();
                assertThat(r.example().minimalTimeline()).isNotEmpty();
            }
        }
    }

    @Test
    void modernNeverFails() {
        long clean = 0;
        for (DetectionMatrix.Row r : report.rows()) {
            if (r.preset() == KernelPreset.MODERN) {
                assertThat(r.detectedSeeds()).as(r.label()).isZero();
                assertThat(r.rateViolations()).isZero();
                assertThat(r.operations()).isGreaterThanOrEqualTo(DetectionMatrix.Settings.ci().cleanOpsPerRow());
                clean += r.operations();
            }
        }
        assertThat(clean).isGreaterThanOrEqualTo(6 * 10_000_000L);
    }

    @Test
    void darricksWriteOnlyWaitFailsForMmapAndPassesForPwrite() {
        assertThat(row(Hazard.H3, Hazard.Mode.MMAP, KernelPreset.STABLE_PAGES_WRITE_ONLY_2011).detectedSeeds())
                .isEqualTo(100);
        DetectionMatrix.Row write = row(Hazard.H3, Hazard.Mode.WRITE, KernelPreset.STABLE_PAGES_WRITE_ONLY_2011);
        assertThat(write.detectedSeeds()).isZero();
        assertThat(write.operations()).isGreaterThanOrEqualTo(10_000_000);
        assertThat(row(Hazard.H3, Hazard.Mode.MMAP, KernelPreset.STABLE_PAGES_BOUNCE_2011).detectedSeeds()).isZero();
    }

    @Test
    void workqueueInvalidationIsSometimesWrong() {
        DetectionMatrix.Row irq = row(Hazard.H2, Hazard.Mode.STANDARD, KernelPreset.AIO_DIO_IRQ_COMPLETION_2008);
        for (KernelPreset p : new KernelPreset[] {KernelPreset.AIO_DIO_WORKQUEUE_2008,
            KernelPreset.AIO_DIO_WORKQUEUE_FIFO_2008}) {
            DetectionMatrix.Row wq = row(Hazard.H2, Hazard.Mode.STANDARD, p);
            assertThat(wq.rateViolations()).as(p.name()).isPositive();
            assertThat(wq.kind()).isEqualTo(ViolationKind.STALE_READ);
            assertThat(wq.violationsPerMillionOps()).as(p.name()).isLessThan(irq.violationsPerMillionOps() / 10);
        }
    }

    @Test
    void rendersTextAndMarkdown() {
        assertThat(report.toText()).contains("DIO_NO_POST_INVALIDATE_2007").contains("100/100");
        String md = report.toMarkdown();
        assertThat(md).startsWith("| hazard |").contains("`IOMAP_DIO_PARTIAL_2022`");
        String doc = HazardsDoc.render(report, "cmd");
        assertThat(doc).startsWith(HazardsDoc.BEGIN).endsWith(HazardsDoc.END).contains("## Simulated stack")
                .contains("### H4")
                .contains("Thread: " + KernelThreads.DAX_FAULT_2017.citation()).contains("Example (seed");
    }
}
