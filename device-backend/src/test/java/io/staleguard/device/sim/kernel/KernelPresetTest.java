package io.staleguard.device.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KernelPresetTest {

    @Test
    void modernIsEveryFix() {
        KernelConfig m = KernelConfig.modern();
        assertThat(m.name()).isEqualTo("MODERN");
        assertThat(m.directWriteInvalidation()).isEqualTo(DirectWriteInvalidation.BEFORE_AND_AFTER);
        assertThat(m.asyncWriteCompletion()).isEqualTo(AsyncWriteCompletion.PROCESS_CONTEXT_BEFORE_SIGNAL);
        assertThat(m.completionListOrder()).isEqualTo(CompletionListOrder.FIFO);
        assertThat(m.stablePages()).isEqualTo(StablePages.WAIT_IN_WRITE_AND_MKWRITE);
        assertThat(m.daxFaultLocking()).isEqualTo(DaxFaultLocking.ENTRY_LOCK_ACROSS_LOOKUP);
        assertThat(m.partialDirectRead()).isEqualTo(PartialDirectRead.WAIT_AND_CONTINUE);
    }

    @Test
    void everyPresetChangesOnlyTheSwitchesOfItsHazard() {
        for (KernelPreset p : KernelPreset.all()) {
            KernelConfig c = p.config();
            assertThat(c.name()).isEqualTo(p.name());
            if (p == KernelPreset.MODERN) {
                continue;
            }
            Hazard h = p.hazard().orElseThrow();
            KernelConfig m = KernelConfig.modern();
            if (h != Hazard.H1) {
                assertThat(c.directWriteInvalidation()).as(p.name()).isEqualTo(m.directWriteInvalidation());
            }
            if (h != Hazard.H2) {
                assertThat(c.asyncWriteCompletion()).as(p.name()).isEqualTo(m.asyncWriteCompletion());
                assertThat(c.completionListOrder()).as(p.name()).isEqualTo(m.completionListOrder());
            }
            if (h != Hazard.H3) {
                assertThat(c.stablePages()).as(p.name()).isEqualTo(m.stablePages());
            }
            if (h != Hazard.H4) {
                assertThat(c.daxFaultLocking()).as(p.name()).isEqualTo(m.daxFaultLocking());
            }
            if (h != Hazard.H5) {
                assertThat(c.partialDirectRead()).as(p.name()).isEqualTo(m.partialDirectRead());
            }
            assertThat(c.sameSwitches(m)).as(p.name() + " differs from MODERN").isFalse();
            assertThat(p.references()).as(p.name() + " cites its thread").isNotEmpty();
        }
        assertThat(Hazard.H1.historicalBug().config().directWriteInvalidation())
                .isEqualTo(DirectWriteInvalidation.BEFORE_ONLY);
    }

    @Test
    void namedIsLenientAndNamesTheBadValue() {
        assertThat(KernelPreset.named("modern")).isEqualTo(KernelPreset.MODERN);
        assertThat(KernelPreset.named(" dax-unlocked-fault-2017 ")).isEqualTo(KernelPreset.DAX_UNLOCKED_FAULT_2017);
        assertThatThrownBy(() -> KernelPreset.named("LINUX_2_6"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'LINUX_2_6'")
                .hasMessageContaining("MODERN")
                .hasMessageContaining("IOMAP_DIO_PARTIAL_2022");
        assertThatThrownBy(() -> KernelPreset.named(null)).hasMessageContaining("null");
        assertThat(KernelPreset.all()).hasSize(KernelPreset.values().length).startsWith(KernelPreset.MODERN);
    }

    @Test
    void specRoundTripsPresetsAndMixes() {
        for (KernelPreset p : KernelPreset.all()) {
            assertThat(p.config().spec()).isEqualTo(p.name());
            assertThat(KernelConfig.parse(p.config().spec())).isEqualTo(p.config());
        }
        KernelConfig mix = KernelConfig.builder()
                .stablePages(StablePages.WAIT_IN_WRITE_ONLY)
                .daxFaultLocking(DaxFaultLocking.UNLOCKED_FAULT)
                .build();
        assertThat(mix.name()).isEqualTo("custom");
        assertThat(mix.spec()).isEqualTo("MODERN+stable-pages=WAIT_IN_WRITE_ONLY,dax-fault=UNLOCKED_FAULT");
        KernelConfig back = KernelConfig.parse(mix.spec());
        assertThat(back.sameSwitches(mix)).isTrue();
        assertThat(KernelConfig.builder(KernelPreset.MODERN).name("mine").build().name()).isEqualTo("mine");
    }

    @Test
    void parseNamesBadKeysAndValues() {
        assertThatThrownBy(() -> KernelConfig.parse("MODERN+stable-pages=SOMETIMES"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'SOMETIMES'").hasMessageContaining("stable-pages")
                .hasMessageContaining("BOUNCE_BEFORE_CHECKSUM");
        assertThatThrownBy(() -> KernelConfig.parse("MODERN+readahead=off"))
                .hasMessageContaining("'readahead'").hasMessageContaining("dio-invalidate");
        assertThatThrownBy(() -> KernelConfig.parse("MODERN+stable-pages"))
                .hasMessageContaining("not key=VALUE");
        assertThatThrownBy(() -> KernelConfig.parse("  ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> KernelConfig.parse("NOPE+stable-pages=NONE")).hasMessageContaining("'NOPE'");
    }

    @Test
    void hazardsKnowTheirSeedsKindsAndModes() {
        assertThat(Hazard.H3.modes()).containsExactly(Hazard.Mode.MMAP, Hazard.Mode.WRITE);
        assertThat(Hazard.H1.modes()).containsExactly(Hazard.Mode.STANDARD);
        assertThat(Hazard.H3.expectedKind()).isEqualTo(io.staleguard.device.ViolationKind.GUARD_TAG);
        assertThat(Hazard.H5.expectedKind()).isEqualTo(io.staleguard.device.ViolationKind.SHORT_TRANSFER);
        assertThat(Hazard.H4.references()).containsExactly(KernelThreads.DAX_FAULT_2017);
        assertThat(Hazard.H2.presets()).contains(KernelPreset.AIO_DIO_IRQ_COMPLETION_2008,
                KernelPreset.AIO_DIO_WORKQUEUE_2008);
        assertThatThrownBy(() -> Hazard.named("H6")).hasMessageContaining("'H6'").hasMessageContaining("H5");
    }
}
