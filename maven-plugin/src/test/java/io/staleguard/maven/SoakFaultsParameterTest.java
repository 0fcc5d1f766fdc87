package io.staleguard.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.sim.FaultSpec;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;

/** The soak's {@code staleguard.faults}: passed on canonical, unset leaves the tests' own, bad input is one line. */
class SoakFaultsParameterTest {

    @Test
    void aSpecIsPassedOnInItsCanonicalText() throws Exception {
        String given = " lost-write = 0.001 , fsync-error@2 ";
        assertThat(SoakMojo.faultSpec(given)).isEqualTo(FaultSpec.parse(given).toString())
                .doesNotContain(" ");
        assertThat(SoakMojo.faultSpec("none")).isEqualTo("none");
    }

    @Test
    void unsetLeavesTheTestsOwnFaults() throws Exception {
        assertThat(SoakMojo.faultSpec(null)).isEmpty();
        assertThat(SoakMojo.faultSpec("  ")).isEmpty();
    }

    @Test
    void aSpecOnARealBackendIsRefusedNamingTheSpecAndTheBackend() {
        for (String backend : new String[] {"file", "loop"}) {
            assertThatThrownBy(() -> SoakMojo.checkFaultsBackend(" read-error=0.01 ",
                    SoakMojo.faultSpec(" read-error=0.01 "), backend))
                    .isInstanceOf(MojoExecutionException.class)
                    .hasMessage("staleguard.faults='read-error=0.01' with staleguard.backend=" + backend + ": faults "
                            + "are injected by the simulated device, and the " + backend + " backend runs the host "
                            + "kernel; drop staleguard.faults, or soak on the simulated stack (leave "
                            + "staleguard.backend empty)")
                    .hasNoCause();
        }
    }

    @Test
    void onTheSimulatedStackOrWithFaultsOffOrUnsetAnyBackendIsAccepted() throws Exception {
        SoakMojo.checkFaultsBackend("read-error=0.01", SoakMojo.faultSpec("read-error=0.01"), "");
        SoakMojo.checkFaultsBackend("none", SoakMojo.faultSpec("none"), "loop");
        SoakMojo.checkFaultsBackend(null, SoakMojo.faultSpec(null), "file");
    }

    @Test
    void aBadSpecIsOneLineNamingTheBadToken() {
        assertThatThrownBy(() -> SoakMojo.faultSpec("read-error=0.1,lost-wirte=0.5"))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("staleguard.faults='read-error=0.1,lost-wirte=0.5': ")
                .hasMessageContaining("lost-wirte")
                .hasNoCause()
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> SoakMojo.faultSpec("bitrot=2"))
                .hasMessageContaining("rate 2 of bitrot is not in [0, 1]");
    }
}
