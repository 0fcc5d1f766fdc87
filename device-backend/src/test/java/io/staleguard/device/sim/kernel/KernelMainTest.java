package io.staleguard.device.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelMainTest {

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return KernelMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void runReproducesAViolationFromItsReproduceLine() {
        assertThat(run("run", "H3:WRITE", "STABLE_PAGES_NONE_2011", "0x2a", "100000")).isEqualTo(1);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("guard-tag").contains("minimal interleaving")
                .contains("run H3:WRITE STABLE_PAGES_NONE_2011 0x2a 100000");
        ScenarioResult direct = ScenarioRunner.run(Hazard.H3, Hazard.Mode.WRITE,
                KernelPreset.STABLE_PAGES_NONE_2011.config(), 0x2a, 100_000, true);
        assertThat(text).isEqualTo(direct.render());
    }

    @Test
    void cleanRunExitsZero() {
        assertThat(run("run", "H5", "MODERN", "3", "5000")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("no violation in 5000 operations");
    }

    @Test
    void badArgumentsExitTwoNamingTheValue() {
        assertThat(run("run", "H9", "MODERN", "1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'H9'").contains("usage:");
        err.reset();
        assertThat(run("run", "H1", "MODERN", "seven")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("SEED 'seven'");
        err.reset();
        assertThat(run("matrix", "--bogus")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'--bogus'");
        err.reset();
        assertThat(run("fly")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'fly'");
    }

    @Test
    void presetsAreListed() {
        assertThat(run("presets")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("MODERN")
                .contains("\"[RFC] block integrity: Fix write after checksum calculation problem\", Darrick J. Wong");
    }

    @Test
    void smallMatrixWritesTheSimulatedSectionOnly(@TempDir Path dir) throws Exception {
        Path doc = dir.resolve("HAZARDS.md");
        Files.writeString(doc, "# Hazards\n\nintro\n\n## Real kernel\n\nkept\n");
        assertThat(run("matrix", "--seeds", "5", "--clean-ops", "5000", "--hazards", "H5", "--write",
                doc.toString())).isZero();
        String text = Files.readString(doc);
        assertThat(text).contains("## Real kernel\n\nkept").contains("## Simulated stack").contains("H5");
        // Idempotent: a second write replaces the section instead of appending another.
        assertThat(run("matrix", "--seeds", "5", "--clean-ops", "5000", "--hazards", "H5", "--write",
                doc.toString())).isZero();
        String again = Files.readString(doc);
        assertThat(again.split("## Simulated stack", -1)).hasSize(2);
    }
}
