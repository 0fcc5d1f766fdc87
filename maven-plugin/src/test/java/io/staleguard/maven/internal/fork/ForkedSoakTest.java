package io.staleguard.maven.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.json.ReportJson;
import io.staleguard.maven.internal.soak.ForkOutcome;
import io.staleguard.maven.internal.soak.ForkedSoak;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak in a real forked JVM: a clean run, SIGTERM, and a crash. */
class ForkedSoakTest {

    @TempDir
    Path dir;

    private static List<String> classpath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(cp.split(File.pathSeparator));
    }

    private SoakConfig config(long budgetMillis) {
        return config(budgetMillis, "");
    }

    private SoakConfig config(long budgetMillis, String backend) {
        return config(budgetMillis, backend, "NONE");
    }

    private SoakConfig config(long budgetMillis, String backend, String kernels) {
        Path testClasses = Path.of(SoakTaggedSample.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        return new SoakConfig(dir.toString(), dir.resolve("soak-work").toString(),
                backend.isEmpty() ? testClasses.toString() : "", "test:fork", budgetMillis, 500, kernels, backend, 1, 1,
                0x5eed, "", 100, 16 << 20, 10_000, 0);
    }

    @Test
    void byDefaultTheWholeBudgetGoesToTheProjectsSoakTestsAndTheLogSaysWhy() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        ForkedSoak.Result r = fork(config(2000, "", "AUTO"), List.of(), lines, new AtomicReference<>());

        assertThat(r.exitCode()).as(String.join("\n", lines)).isZero();
        var summary = ReportSet.read(dir).soak().orElseThrow();
        assertThat(summary.scenarios()).as("no simulated scenario by default").isEmpty();
        assertThat(summary.tests()).singleElement().satisfies(t -> assertThat(t.runs()).isPositive());
        assertThat(lines).contains("[staleguard]   part 1: 1 @Soak test repeated with fresh seeds - all 2s of the "
                + "budget: the project's own code");
        assertThat(lines).anyMatch(l -> l.startsWith("[staleguard]   not run: kernel scenarios H1-H5 on the simulated "
                + "stack: on the simulated stack they test Staleguard's own simulator, not this project"));
        assertThat(lines).anyMatch(l -> l.matches("\\[staleguard] budget spent: part 1 \\d+s"));
    }

    @Test
    void askedForScenariosShareTheBudgetWithTheSoakTestsAndTheLogSaysWhy() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        ForkedSoak.Result r = fork(config(2000, "", "MODERN"), List.of(), lines, new AtomicReference<>());

        assertThat(r.exitCode()).as(String.join("\n", lines)).isZero();
        var summary = ReportSet.read(dir).soak().orElseThrow();
        assertThat(summary.scenarios()).isNotEmpty().allMatch(s -> s.preset().equals("MODERN"));
        assertThat(lines).anyMatch(l -> l.startsWith("[staleguard]   part 1: kernel scenarios H1,H2,H3,H4,H5 on MODERN")
                && l.endsWith(" - about 1s of the budget: asked for with staleguard.kernel=MODERN"));
        assertThat(lines).contains("[staleguard]   part 2: 1 @Soak test repeated with fresh seeds - about 1s of the "
                + "budget: the project's own code");
        assertThat(lines).noneMatch(l -> l.contains("not run: kernel scenarios"));
    }

    @Test
    void fileBackendRunsTheVerifiedWorkloadCleanly() throws Exception {
        realBackend("file");
    }

    @Test
    void loopBackendRunsTheVerifiedWorkloadCleanly() throws Exception {
        io.staleguard.device.loop.Availability a = io.staleguard.device.loop.LoopDevice.availability();
        if (!a.available()) {
            String msg = "loop devices unavailable here: " + a.reason();
            org.junit.jupiter.api.Assertions.assertNotEquals("true", System.getenv("CI"), msg + " (required in CI)");
            System.err.println("WARNING: SKIPPED loop soak test: " + msg);
            org.junit.jupiter.api.Assumptions.abort(msg);
        }
        realBackend("loop");
    }

    @Test
    void onTheFileBackendH1AndH2TestTheHostByDefault() throws Exception {
        hostScenarios("file");
    }

    @Test
    void onTheLoopBackendH1AndH2TestTheHostByDefault() throws Exception {
        io.staleguard.device.loop.Availability a = io.staleguard.device.loop.LoopDevice.availability();
        if (!a.available()) {
            String msg = "loop devices unavailable here: " + a.reason();
            org.junit.jupiter.api.Assertions.assertNotEquals("true", System.getenv("CI"), msg + " (required in CI)");
            System.err.println("WARNING: SKIPPED loop host-scenario test: " + msg);
            org.junit.jupiter.api.Assumptions.abort(msg);
        }
        hostScenarios("loop");
    }

    private void hostScenarios(String backend) throws Exception {
        String preset = "HOST_" + backend.toUpperCase(java.util.Locale.ROOT);
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        ForkedSoak.Result r = fork(config(3000, backend, "AUTO"), List.of(), lines, new AtomicReference<>());

        assertThat(r.exitCode()).as(String.join("\n", lines)).isZero();
        var summary = ReportSet.read(dir).soak().orElseThrow();
        assertThat(summary.scenarios()).as("H1 and H2 on the host, no simulated preset")
                .extracting(s -> s.hazard() + "@" + s.preset()).containsExactly("H1@" + preset, "H2@" + preset);
        assertThat(summary.scenarios()).allSatisfy(s -> {
            assertThat(s.runs()).isPositive();
            assertThat(s.operations()).as("ring writes, reads and the preload").isGreaterThan(2 * 1000);
            assertThat(s.runsWithViolations()).as("a modern host kernel invalidates after direct writes").isZero();
        });
        assertThat(summary.workloads()).singleElement().satisfies(w -> assertThat(w.operations()).isPositive());
        assertThat(lines).anyMatch(l -> l.startsWith("[staleguard]   part 1: hazard scenarios H1,H2 (the ring buffer "
                + "under read-ahead) on the " + backend + " backend - about 1s of the budget: the host's kernel, "
                + "filesystem and device"));
        assertThat(lines).anyMatch(l -> l.startsWith("[staleguard]   part 2: verified random I/O on the " + backend
                + " backend"));
        assertThat(lines).anyMatch(l -> l.startsWith("[staleguard]   not run: kernel scenarios H1-H5 on the simulated "
                + "stack: this soak tests the host through the " + backend + " backend (H1 and H2 run there)"));
        assertThat(lines).as("the detection matrix's host row").anyMatch(l -> l.contains(preset) && l.contains(" 0/"));
    }

    private void realBackend(String backend) throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        ForkedSoak.Result r = fork(config(2000, backend), List.of(), lines, new AtomicReference<>());

        assertThat(r.exitCode()).as(String.join("\n", lines)).isZero();
        var summary = ReportSet.read(dir).soak().orElseThrow();
        assertThat(summary.backend()).isEqualTo(backend);
        assertThat(summary.workloads()).singleElement().satisfies(w -> {
            assertThat(w.unavailable()).isEmpty();
            assertThat(w.operations()).isPositive();
            assertThat(w.bytes()).isPositive();
            assertThat(w.counts()).as("a correct workload on a modern kernel").isEmpty();
        });
        assertThat(lines).anyMatch(l -> l.contains("verified random I/O on the " + backend + " backend"));
    }

    private ForkedSoak.Result fork(SoakConfig config, List<String> jvmArgs, List<String> lines,
                                   AtomicReference<Process> process) throws Exception {
        Path configFile = dir.resolve("soak-work/soak-config.json");
        ReportJson.writeAtomically(configFile, config);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return ForkedSoak.run(java, jvmArgs, classpath(), configFile, dir, ForkedSoak.collecting(lines::add),
                process::set);
    }

    @Test
    void repeatsTheSoakTestsWithFreshSeedsAndWritesSummaryAndXml() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        ForkedSoak.Result r = fork(config(4000), List.of(), lines, new AtomicReference<>());

        assertThat(r.exitCode()).as(String.join("\n", lines)).isZero();
        assertThat(ForkOutcome.settle(r.exitCode(), r.configError(), dir, config(4000)).kind())
                .isEqualTo(ForkOutcome.Kind.COMPLETE);
        var summary = ReportSet.read(dir).soak().orElseThrow();
        assertThat(summary.status()).isEqualTo("COMPLETE");
        assertThat(summary.tests()).singleElement().satisfies(t -> {
            assertThat(t.className()).isEqualTo(SoakTaggedSample.class.getName());
            assertThat(t.runs()).isGreaterThan(2);
            assertThat(t.failures()).isZero();
        });
        assertThat(lines).anyMatch(l -> l.contains("budget 4s") && l.contains("master seed 0x0000000000005eed"));
        assertThat(lines).anyMatch(l -> l.contains("part 1: 1 @Soak test repeated with fresh seeds"));
        assertThat(lines).anyMatch(l -> l.matches("\\[staleguard] \\d+s elapsed, \\d+s left \\| .* ops \\| .*"));
        assertThat(lines).noneMatch(l -> l.contains("\r"));
        assertThat(Files.readString(dir.resolve("TEST-staleguard-soak.xml")))
                .contains("classname=\"" + SoakTaggedSample.class.getName() + "\" name=\"spins\"");
    }

    @Test
    void sigtermWritesAPartialSummaryAndSaysSo() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Process> process = new AtomicReference<>();
        Thread killer = new Thread(() -> {
            try {
                while (lines.stream().noneMatch(l -> l.contains(" elapsed, "))) {
                    Thread.sleep(50);
                }
                process.get().toHandle().destroy(); // SIGTERM, as kill does
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        killer.start();
        ForkedSoak.Result r = fork(config(60_000), List.of(), lines, process);
        killer.join();

        assertThat(r.exitCode()).isEqualTo(ForkProtocol.EXIT_SIGTERM);
        assertThat(lines).anyMatch(l -> l.contains("soak interrupted by a signal: partial summary written to"));
        ForkOutcome o = ForkOutcome.settle(r.exitCode(), r.configError(), dir, config(60_000));
        assertThat(o.kind()).isEqualTo(ForkOutcome.Kind.INTERRUPTED);
        var summary = ReportSet.read(dir).soak().orElseThrow();
        assertThat(summary.status()).isEqualTo("INTERRUPTED");
        assertThat(summary.statusDetail()).contains("partial");
        assertThat(summary.elapsedMillis()).isLessThan(60_000);
    }

    @Test
    void aCrashedForkIsReportedAsCrashedNeverClean() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        ForkedSoak.Result r = fork(config(60_000), List.of("-Dsample.crash=true"), lines, new AtomicReference<>());

        assertThat(r.exitCode()).isEqualTo(9);
        ForkOutcome o = ForkOutcome.settle(r.exitCode(), r.configError(), dir, config(60_000));
        assertThat(o.kind()).isEqualTo(ForkOutcome.Kind.CRASHED);
        assertThat(ReportSet.read(dir).soak().orElseThrow().status()).isEqualTo("CRASHED");
    }

    @Test
    void aForkKilledInTheMiddleOfAWorkloadRoundLeavesACrashedSummaryWithThatRound() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Process> process = new AtomicReference<>();
        AtomicReference<Long> seen = new AtomicReference<>(0L);
        Thread killer = new Thread(() -> {
            try {
                Path summary = dir.resolve(ReportSet.SUMMARY);
                while (true) {
                    Thread.sleep(100);
                    if (Files.isRegularFile(summary)) {
                        var s = ReportJson.read(summary, io.staleguard.maven.internal.model.SoakSummary.class,
                                io.staleguard.maven.internal.model.SoakSummary.FORMAT);
                        long ops = s.workloads().stream().mapToLong(w -> w.operations()).sum();
                        if (ops > 0) {
                            seen.set(ops);
                            // SIGKILL, mid-round (rounds last up to a minute), through the handle as a kill -9
                            // from outside: Process.destroyForcibly() would also close the output the parent still
                            // reads, and its read then failed with "Stream closed" whenever the fork was not yet
                            // reaped.
                            process.get().toHandle().destroyForcibly();
                            return;
                        }
                    }
                }
            } catch (Exception e) {
                process.get().toHandle().destroyForcibly();
            }
        });
        killer.start();
        ForkedSoak.Result r = fork(config(60_000, "file"), List.of(), lines, process);
        killer.join();

        assertThat(r.exitCode()).isEqualTo(137);
        assertThat(seen.get()).as("a checkpoint of the round in progress").isPositive();
        ForkOutcome o = ForkOutcome.settle(r.exitCode(), r.configError(), dir, config(60_000, "file"));
        assertThat(o.kind()).isEqualTo(ForkOutcome.Kind.CRASHED);
        var crashed = ReportSet.read(dir).soak().orElseThrow();
        assertThat(crashed.status()).isEqualTo("CRASHED");
        assertThat(crashed.workloads()).singleElement().satisfies(w -> {
            assertThat(w.operations()).isGreaterThanOrEqualTo(seen.get());
            assertThat(w.runs()).isOne();
        });
        assertThat(crashed.operations()).isGreaterThanOrEqualTo(seen.get());
    }
}
