package io.staleguard.maven.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.maven.internal.check.KindSelection;
import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.check.Verdict;
import io.staleguard.maven.internal.json.ReportJson;
import io.staleguard.maven.internal.model.SoakSummary;
import io.staleguard.maven.internal.model.ViolationEntry;
import io.staleguard.maven.internal.soak.ForkedSoak;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak repeats a {@code @Soak} crash test with a fresh seed and the soak's crash-state budget each round, and its
 * crash violations reach the summary and {@code check} with their own crash state in the reproduce line.
 */
class CrashSoakTest {

    @TempDir
    Path dir;

    /**
     * A {@code @Soak} crash test as the soak sees it. It stands in for the extension (compiled here into its own
     * directory, so that no other soak test discovers it).
     */
    private static final String SAMPLE = """
    package sample.crash;

    import java.nio.file.Files;
    import java.nio.file.Path;
    import org.junit.jupiter.api.Tag;
    import org.junit.jupiter.api.Test;
    import org.junit.jupiter.api.extension.BeforeEachCallback;
    import org.junit.jupiter.api.extension.ExtendWith;
    import org.junit.jupiter.api.extension.ExtensionContext;

    /**
     * A {@code @Soak} crash test as the soak sees it, for the plugin's CrashSoakTest. It stands in for the
     * extension: it writes the per-test report a crash test that loses an acknowledged segment writes, with the seed and crash-state budget the soak gave
     * it in the violation's reproduce line, so the test sees what the fork passes and what it does with the report.
     */
    @Tag("staleguard-soak")
    @ExtendWith(CrashSoakSample.Parameters.class)
    public class CrashSoakSample {

        /** The crash state the stand-in reports its violation in. */
        static final int STATE = 3;

        static volatile ExtensionContext context;

        /** Keeps the test's context, so the test reads the configuration parameters the soak passed. */
        public static final class Parameters implements BeforeEachCallback {
            @Override
            public void beforeEach(ExtensionContext c) {
                context = c;
            }
        }

        @Test
        public void losesASegment() throws Exception {
            String dir = context.getConfigurationParameter("staleguard.reportDir").orElseThrow();
            String seed = context.getConfigurationParameter("staleguard.seed").orElse("none");
            String budget = context.getConfigurationParameter("staleguard.crashStates").orElse("unset");
            String line = "mvn test -Dtest=CrashSoakSample#losesASegment -Dstaleguard.seed=" + seed
                    + " -Dstaleguard.crashStates=" + budget;
            String json = \"\"\"
                    {"format":"staleguard-test-report/1","formatVersion":"1.1","testId":"x","className":"%1$s",
                     "methodName":"losesASegment","displayName":"losesASegment()","status":"FAILED","seed":"%2$s",
                     "masterSeed":"%2$s","backend":"SIMULATED","preset":"MODERN","operations":40,"bytes":4000,
                     "durationMillis":5,"reproduce":"%3$s -Dstaleguard.crashState=%4$d","failOn":["DURABILITY"],
                     "counts":{"DURABILITY":1},"devices":[],"violations":[
                     {"kind":"DURABILITY","offset":0,"length":1000,"lba":0,
                      "location":{"path":"/test/wal/seg-2.log","offset":0},"expected":"acknowledged at t=230",
                      "actual":"crash state %4$d: no such file","firstDiffOffset":-1,"thread":"main",
                      "detail":"lost in 1 of %5$s crash states","submitStack":[],
                      "timeline":[{"time":230,"thread":"power","type":"CRASH","offset":0,"length":0,"writeId":0,
                                   "note":"crash (state %4$d)"}],
                      "reproduce":"%3$s -Dstaleguard.crashState=%4$d",
                      "crash":{"state":%4$d,"model":"POSIX","counts":{"kept":0,"dropped":1,"torn":0},
                       "missing":[{"missing":"DIRECTORY_FSYNC","path":"/test/wal/","lostPath":"/test/wal/seg-2.log",
                                   "lostAt":110,"text":"never fsynced"}]}}]}
                    \"\"\".formatted(CrashSoakSample.class.getName(), seed, line, STATE, budget);
            Path file = Path.of(dir).resolve(CrashSoakSample.class.getName()).resolve("losesASegment.json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, json);
            throw new AssertionError("Staleguard found 1 durability violation\\nNOTE: reproduce with: " + line
                    + " -Dstaleguard.crashState=" + STATE);
        }
    }
""";

    /** The crash state the stand-in reports its violation in. */
    private static final int STATE = 3;

    private Path compileSample(String cp) throws Exception {
        Path src = dir.resolve("sample-src/sample/crash/CrashSoakSample.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SAMPLE);
        Path out = Files.createDirectories(dir.resolve("sample-classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", out.toString(), "-cp", cp, src.toString());
        assertThat(rc).as("the sample compiles").isZero();
        return out;
    }

    private SoakConfig config(Path testClasses, int crashStates) {
        return new SoakConfig(dir.toString(), dir.resolve("soak-work").toString(), testClasses.toString(),
                "test:crash-soak", 3000, 500, "NONE", "", 1, 1, 0x5eed, "", 100, 16 << 20, 10_000, 0, crashStates);
    }

    @Test
    void eachRoundPassesAFreshSeedAndTheBudgetAndTheViolationsKeepTheirCrashState() throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path classes = compileSample(cp);
        SoakConfig config = config(classes, 37);
        Path configFile = dir.resolve("soak-work/soak-config.json");
        ReportJson.writeAtomically(configFile, config);
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        List<String> forkCp = new ArrayList<>(List.of(cp.split(File.pathSeparator)));
        forkCp.add(classes.toString());
        ForkedSoak.Result r = ForkedSoak.run(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                List.of(), forkCp, configFile, dir, ForkedSoak.collecting(lines::add), p -> { });
        assertThat(r.exitCode()).as(String.join("\n", lines)).isZero();

        SoakSummary summary = ReportSet.read(dir).soak().orElseThrow();
        assertThat(summary.counts()).containsKey("DURABILITY");
        List<ViolationEntry> crash = summary.violations().stream()
                .filter(e -> e.name().endsWith("CrashSoakSample#losesASegment")).toList();
        assertThat(crash).as(String.join("\n", lines)).hasSizeGreaterThanOrEqualTo(2);
        Set<String> seeds = new TreeSet<>();
        for (ViolationEntry e : crash) {
            assertThat(e.reproduce()).matches("mvn test -Dtest=CrashSoakSample#losesASegment "
                    + "-Dstaleguard\\.seed=0x[0-9a-f]{16} -Dstaleguard\\.crashStates=37 -Dstaleguard\\.crashState=3");
            assertThat(e.violation().crash().state()).isEqualTo(STATE);
            assertThat(e.violation().crash().missing().get(0).missing()).isEqualTo("DIRECTORY_FSYNC");
            seeds.add(e.seed());
        }
        assertThat(seeds).as("every round samples with a fresh seed").hasSameSizeAs(crash);

        Verdict v = Verdict.of(ReportSet.read(dir), KindSelection.defaults(), 0);
        assertThat(v.failed()).isTrue();
        assertThat(v.message()).contains("durability").contains("reproduce: " + crash.get(0).reproduce());
    }
}
