package io.staleguard.maven.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The soak's budget goes to the project's code unless the simulated scenarios are asked for. */
class ScenarioChoiceTest {

    @Test
    void unsetRunsNoSimulatedScenarioAndSaysWhy() {
        for (String unset : new String[] {null, "", "  ", "AUTO", "auto"}) {
            ScenarioChoice c = ScenarioChoice.of(unset, "");
            assertThat(c.runs()).as(String.valueOf(unset)).isFalse();
            assertThat(c.reason()).contains("test Staleguard's own simulator, not this project")
                    .contains("-Dstaleguard.kernel=MODERN");
        }
    }

    @Test
    void unsetOnARealBackendSaysTheHostIsTestedThere() {
        ScenarioChoice c = ScenarioChoice.of("AUTO", "loop");
        assertThat(c.runs()).isFalse();
        assertThat(c.reason()).contains("tests the host through the loop backend");
    }

    @Test
    void aPresetListOrAllIsTakenAsAsked() {
        assertThat(ScenarioChoice.of("MODERN", "")).isEqualTo(new ScenarioChoice("MODERN",
                "asked for with staleguard.kernel=MODERN"));
        assertThat(ScenarioChoice.of(" ALL ", "file")).isEqualTo(new ScenarioChoice("ALL",
                "asked for with staleguard.kernel=ALL (the detection matrix)"));
        assertThat(ScenarioChoice.of("none", "").runs()).isFalse();
    }

    @Test
    void h1AndH2RunOnTheHostWheneverThereIsARealBackendUnlessNoneIsAsked() {
        assertThat(ScenarioChoice.onHost("AUTO", "loop")).isTrue();
        assertThat(ScenarioChoice.onHost("ALL", "file")).isTrue();
        assertThat(ScenarioChoice.onHost("NONE", "loop")).isFalse();
        assertThat(ScenarioChoice.onHost("AUTO", "")).as("no backend, no host").isFalse();
    }

    @Test
    void aReplayRunsOnTheGivenPresetsOrOnModern() {
        assertThat(ScenarioChoice.forReplay("AUTO").spec()).isEqualTo("MODERN");
        assertThat(ScenarioChoice.forReplay("AIO_DIO_IRQ_COMPLETION_2008").spec())
                .isEqualTo("AIO_DIO_IRQ_COMPLETION_2008");
        assertThat(ScenarioChoice.forReplay("NONE").runs()).isFalse();
    }
}
