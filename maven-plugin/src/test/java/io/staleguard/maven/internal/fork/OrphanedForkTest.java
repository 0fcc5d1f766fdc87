package io.staleguard.maven.internal.fork;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.maven.internal.check.KindSelection;
import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.check.Verdict;
import io.staleguard.maven.internal.json.ReportJson;
import io.staleguard.maven.internal.model.SoakSummary;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of Maven alone: the forked soak notices its parent is gone, stops long before its budget, writes
 * an {@code INTERRUPTED} summary that says why, and releases its loop devices.
 */
class OrphanedForkTest {

    @TempDir
    Path dir;

    /** A soak of 10 minutes, of the @Soak sample or (backend non-empty) of a real backend's workload. */
    private Path config(String backend) throws Exception {
        Path testClasses = Path.of(SoakTaggedSample.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        SoakConfig c = new SoakConfig(dir.toString(), dir.resolve("soak-work").toString(),
                backend.isEmpty() ? testClasses.toString() : "", "test:orphan", 600_000, 500, "NONE", backend, 1, 1,
                0x5eed, "", 100, 16 << 20, 10_000, 0);
        Path file = dir.resolve("soak-work/soak-config.json");
        ReportJson.writeAtomically(file, c);
        return file;
    }

    /** Starts the stand-in, waits for the fork's first progress line, kills the stand-in with SIGKILL. */
    private ProcessHandle killMavenAlone(Path configFile, List<String> lines) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // The fork's images under its own temp dir: on a shared machine, the loop devices backed there are this test's.
        Files.createDirectories(dir.resolve("tmp"));
        Process maven = new ProcessBuilder(java, "-cp", cp, MavenStandIn.class.getName(), configFile.toString(),
                dir.toString(), "-Djava.io.tmpdir=" + dir.resolve("tmp")).redirectErrorStream(true).start();
        CompletableFuture<Long> forkPid = new CompletableFuture<>();
        CompletableFuture<Void> progress = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(maven.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l; (l = in.readLine()) != null; ) {
                    lines.add(l);
                    if (l.startsWith("FORK-PID ")) {
                        forkPid.complete(Long.parseLong(l.substring(9).trim()));
                    }
                    if (l.contains(" elapsed, ")) {
                        progress.complete(null);
                    }
                }
            } catch (Exception e) {
                // the stand-in was killed
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            progress.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            maven.destroyForcibly();
            throw new AssertionError("no progress line from the fork: " + String.join("\n", lines), e);
        }
        ProcessHandle fork = ProcessHandle.of(forkPid.get()).orElseThrow();
        maven.destroyForcibly(); // SIGKILL: no shutdown hook of "Maven" runs
        assertThat(maven.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return fork;
    }

    private static void awaitGone(ProcessHandle fork, List<String> lines) throws Exception {
        try {
            fork.onExit().get(45, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            fork.destroyForcibly();
            throw new AssertionError("the orphaned fork still runs 45 s after Maven was killed: "
                    + String.join("\n", lines));
        }
    }

    @Test
    void aForkWhoseMavenIsKilledStopsAndWritesAPartialSummaryThatCheckDoesNotPass() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        ProcessHandle fork = killMavenAlone(config(""), lines);
        awaitGone(fork, lines);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("far less than the 10 min budget")
                .isLessThan(120);

        SoakSummary s = ReportSet.read(dir).soak().orElseThrow();
        assertThat(s.status()).isEqualTo("INTERRUPTED");
        assertThat(s.statusDetail()).contains("watchdog").contains("parent Maven process (pid ").contains("partial");
        assertThat(s.tests()).singleElement().satisfies(t -> assertThat(t.runs()).isPositive());
        assertThat(Verdict.of(ReportSet.read(dir), KindSelection.defaults(), 0).failed()).isTrue();
    }

    @Test
    void anOrphanedLoopSoakReleasesItsLoopDevices() throws Exception {
        io.staleguard.device.loop.Availability a = io.staleguard.device.loop.LoopDevice.availability();
        if (!a.available()) {
            String msg = "loop devices unavailable here: " + a.reason();
            org.junit.jupiter.api.Assertions.assertNotEquals("true", System.getenv("CI"), msg + " (required in CI)");
            System.err.println("WARNING: SKIPPED orphaned loop soak test: " + msg);
            org.junit.jupiter.api.Assumptions.abort(msg);
        }
        List<String> before = losetup();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        ProcessHandle fork = killMavenAlone(config("loop"), lines);
        List<String> during = losetup();
        awaitGone(fork, lines);

        assertThat(during).as("the soak had a loop device attached").hasSizeGreaterThan(before.size());
        assertThat(losetup()).as("loop devices after the orphaned fork stopped").isEqualTo(before);
        SoakSummary s = ReportSet.read(dir).soak().orElseThrow();
        assertThat(s.status()).isEqualTo("INTERRUPTED");
        assertThat(s.statusDetail()).contains("watchdog");
        assertThat(s.workloads()).singleElement().satisfies(w -> assertThat(w.operations()).isPositive());
    }

    private List<String> losetup() throws Exception {
        Process p = new ProcessBuilder("losetup", "-l", "-n", "-O", "NAME,BACK-FILE").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        String ours = Files.createDirectories(dir.resolve("tmp")).toRealPath() + "/";
        return out.lines().map(String::strip).filter(l -> l.contains(ours)).sorted().toList();
    }

}
