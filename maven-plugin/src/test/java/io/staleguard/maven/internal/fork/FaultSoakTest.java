package io.staleguard.maven.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.maven.internal.check.KindSelection;
import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.html.HtmlReport;
import io.staleguard.maven.internal.json.ReportJson;
import io.staleguard.maven.internal.model.SoakFaults;
import io.staleguard.maven.internal.model.SoakSummary;
import io.staleguard.maven.internal.model.ViolationEntry;
import io.staleguard.maven.internal.soak.ForkedSoak;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak passes its {@code staleguard.faults} to the forked {@code @Soak} tests, and leaves it unset when the
 * goal has none; the spec reaches each violation's reproduce line through the test's own report.
 */
class FaultSoakTest {

    @TempDir
    Path dir;

    /** The soak's log lines. */
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    /**
     * A {@code @Soak} test standing in for the extension: with a fault spec it writes the report of a test that
     * served zeros for a bad block (its reproduce line carries the spec, as the extension's does) and fails; without
     * one it passes.
     */
    private static final String SAMPLE = """
    package sample.faults;

    import java.nio.file.Files;
    import java.nio.file.Path;
    import org.junit.jupiter.api.Tag;
    import org.junit.jupiter.api.Test;
    import org.junit.jupiter.api.extension.BeforeEachCallback;
    import org.junit.jupiter.api.extension.ExtendWith;
    import org.junit.jupiter.api.extension.ExtensionContext;

    /** For the plugin's FaultSoakTest: sees the fault spec the soak passed. */
    @Tag("staleguard-soak")
    @ExtendWith(FaultSoakSample.Parameters.class)
    public class FaultSoakSample {

        static volatile ExtensionContext context;

        /** Keeps the test's context, so the test reads the configuration parameters the soak passed. */
        public static final class Parameters implements BeforeEachCallback {
            @Override
            public void beforeEach(ExtensionContext c) {
                context = c;
            }
        }

        @Test
        public void servesZeros() throws Exception {
            String faults = context.getConfigurationParameter("staleguard.faults").orElse("");
            if (faults.isEmpty()) {
                return;
            }
            String dir = context.getConfigurationParameter("staleguard.reportDir").orElseThrow();
            String seed = context.getConfigurationParameter("staleguard.seed").orElse("none");
            String line = "mvn test -Dtest=FaultSoakSample#servesZeros -Dstaleguard.seed=" + seed
                    + " -Dstaleguard.faults=" + faults;
            String json = \"\"\"
                    {"format":"staleguard-test-report/1","formatVersion":"1.2","testId":"x","className":"%1$s",
                     "methodName":"servesZeros","displayName":"servesZeros()","status":"FAILED","seed":"%2$s",
                     "masterSeed":"%2$s","backend":"SIMULATED","preset":"MODERN","operations":3,"bytes":12288,
                     "durationMillis":5,"reproduce":"%3$s","failOn":["STALE_READ"],"counts":{"STALE_READ":1},
                     "devices":[{"label":"device of parameter 0","describe":"SIMULATED","backend":"SIMULATED",
                      "preset":"MODERN","seed":"0x1","operations":3,"bytes":12288,"counts":{"STALE_READ":1},
                      "faults":{"spec":"%4$s","fired":1,"first":[]}}],
                     "violations":[{"kind":"STALE_READ","offset":8192,"length":4096,"lba":2,"expected":"v1",
                      "actual":"zeros","firstDiffOffset":8192,"thread":"main","detail":"served zeros",
                      "submitStack":[],"timeline":[]}]}
                    \"\"\".formatted(FaultSoakSample.class.getName(), seed, line, faults);
            Path file = Path.of(dir).resolve(FaultSoakSample.class.getName()).resolve("servesZeros.json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, json);
            throw new AssertionError("Staleguard found 1 stale read\\nNOTE: reproduce with: " + line);
        }
    }
    """;

    private Path compileSample(String cp) throws Exception {
        Path src = dir.resolve("sample-src/sample/faults/FaultSoakSample.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SAMPLE);
        Path out = Files.createDirectories(dir.resolve("sample-classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", out.toString(), "-cp", cp, src.toString());
        assertThat(rc).as("the sample compiles").isZero();
        return out;
    }

    private SoakSummary soak(String faults) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path classes = compileSample(cp);
        SoakConfig config = new SoakConfig(dir.toString(), dir.resolve("soak-work").toString(), classes.toString(),
                "test:fault-soak", 1500, 500, "NONE", "", 1, 1, 0x5eed, "", 100, 16 << 20, 10_000, 0,
                SoakConfig.DEFAULT_CRASH_STATES, faults);
        Path configFile = dir.resolve("soak-work/soak-config.json");
        ReportJson.writeAtomically(configFile, config);
        List<String> forkCp = new ArrayList<>(List.of(cp.split(File.pathSeparator)));
        forkCp.add(classes.toString());
        ForkedSoak.Result r = ForkedSoak.run(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                List.of(), forkCp, configFile, dir, ForkedSoak.collecting(lines::add), p -> { });
        assertThat(r.exitCode()).as(String.join("\n", lines)).isZero();
        return ReportSet.read(dir).soak().orElseThrow();
    }

    @Test
    void theForkedTestsGetTheSpecAndItsViolationsReplayIt() throws Exception {
        SoakSummary summary = soak("read-error=0.5");
        assertThat(summary.counts()).containsKey("STALE_READ");
        List<ViolationEntry> found = summary.violations().stream()
                .filter(e -> e.name().endsWith("FaultSoakSample#servesZeros")).toList();
        assertThat(found).isNotEmpty();
        assertThat(found).allSatisfy(e -> assertThat(e.reproduce()).matches(
                "mvn test -Dtest=FaultSoakSample#servesZeros -Dstaleguard\\.seed=0x[0-9a-f]{16} "
                        + "-Dstaleguard\\.faults=read-error=0\\.5"));
    }

    @Test
    void theSummaryTheLogAndTheReportNameTheSpecAndTheFaultsFired() throws Exception {
        SoakSummary summary = soak("read-error=0.5");
        long runs = summary.tests().get(0).runs();
        assertThat(summary.faults().spec()).isEqualTo("read-error=0.5");
        assertThat(summary.faults().fired()).as("one fault per run, as each report says").isEqualTo(runs);
        assertThat(summary.tests()).singleElement().satisfies(t -> assertThat(t.faultsFired()).isEqualTo(runs));
        assertThat(lines).anyMatch(l -> l.contains("@Soak test repeated with fresh seeds")
                && l.endsWith("the project's own code, with faults read-error=0.5 (staleguard.faults)"));

        String index = Files.readString(HtmlReport.write(ReportSet.read(dir), "sample", KindSelection.defaults(), 0));
        assertThat(index).contains("id=\"soak-faults\">read-error=0.5 (staleguard.faults): " + runs + " fault"
                + (runs == 1 ? "" : "s") + " fired in ");
        ViolationEntry first = summary.violations().stream().filter(e -> e.source().equals("test")).findFirst()
                .orElseThrow();
        assertThat(Files.readString(dir.resolve("html").resolve(first.id() + ".html")))
                .contains("fault spec <code class=\"fault-spec\">read-error=0.5</code>");
    }

    @Test
    void withoutASpecTheTestsRunWithTheirOwn() throws Exception {
        SoakSummary summary = soak("");
        assertThat(summary.counts()).doesNotContainKey("STALE_READ");
        assertThat(summary.faults()).isEqualTo(SoakFaults.NONE);
        assertThat(lines).noneMatch(l -> l.contains("staleguard.faults"));
        String index = Files.readString(HtmlReport.write(ReportSet.read(dir), "sample", KindSelection.defaults(), 0));
        assertThat(index).doesNotContain("id=\"soak-faults\"");
        assertThat(summary.tests()).anySatisfy(t -> {
            assertThat(t.methodName()).isEqualTo("servesZeros");
            assertThat(t.runs()).isPositive();
            assertThat(t.failures()).isZero();
        });
    }
}
