package io.staleguard.maven;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.ViolationKind;
import io.staleguard.device.sim.FaultSpec;
import io.staleguard.maven.internal.check.KindSelection;
import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.fork.SoakConfig;
import io.staleguard.maven.internal.html.ReportPublisher;
import io.staleguard.maven.internal.json.ReportFileException;
import io.staleguard.maven.internal.json.ReportJson;
import io.staleguard.maven.internal.settings.DurationSpec;
import io.staleguard.maven.internal.settings.KernelSelection;
import io.staleguard.maven.internal.settings.SeedText;
import io.staleguard.maven.internal.settings.ShardSpec;
import io.staleguard.maven.internal.soak.ForkClasspath;
import io.staleguard.maven.internal.soak.ForkOutcome;
import io.staleguard.maven.internal.soak.ForkedSoak;
import io.staleguard.maven.internal.soak.PreviousSoak;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.apiguardian.api.API;
import org.eclipse.aether.RepositorySystem;

/**
 * Soaks the project: in a forked JVM on its test classpath, for {@code staleguard.duration}, repeats
 * the project's {@code @Soak} tests with fresh seeds, with {@code staleguard.backend=file|loop} runs H1,
 * H2 and a verified random-I/O workload on that real backend (testing the host), and when asked with
 * {@code staleguard.kernel} runs the built-in hazard scenarios H1–H5 on the simulated stack for each
 * preset named. The log states which part gets how much of the budget, and why.
 *
 * <p>Writes {@code target/staleguard/soak-summary.json} (atomically), one JSON file per violation
 * and {@code TEST-staleguard-soak.xml}. Like failsafe's {@code integration-test}, it never fails the
 * build because of what it found: {@code check} does that in {@code verify}. Only configuration
 * errors fail here. It writes the HTML report ({@code index.html}) too, whatever it found, so the timelines are
 * there whichever goals follow.
 */
@Mojo(name = "soak", defaultPhase = LifecyclePhase.INTEGRATION_TEST, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.TEST)
@API(status = EXPERIMENTAL, since = "0.1.0")
public class SoakMojo extends StaleguardMojo {

    /** How long to soak: {@code 30s}, {@code 10m}, {@code 8h}, {@code 1h30m}. */
    @Parameter(property = "staleguard.duration", defaultValue = "60s")
    private String duration;

    /**
     * The simulated-stack presets to run the built-in hazard scenarios H1–H5 on: {@code MODERN}, a comma list,
     * {@code ALL} (the detection matrix) or {@code NONE}. Unset ({@code AUTO}): none, since on the simulated stack
     * they test Staleguard's simulator rather than the project; the budget goes to the project's {@code @Soak}
     * tests, and with {@code staleguard.backend} also to H1, H2 and a verified workload on that backend, which test
     * the host. {@code NONE} leaves out the host's H1 and H2 too.
     */
    @Parameter(property = "staleguard.kernel", defaultValue = "AUTO")
    private String kernel;

    /**
     * {@code file} or {@code loop}: adds H1 and H2 and a verified random-I/O workload on that real backend (they
     * test the host's kernel, filesystem and device) and reruns the {@code @Soak} tests there; empty for none.
     */
    @Parameter(property = "staleguard.backend")
    private String backend;

    /** How often a progress line is printed. */
    @Parameter(property = "staleguard.progressInterval", defaultValue = "10s")
    private String progressInterval;

    /** {@code i/n}: run only this shard's share of the seed space (for CI matrices). */
    @Parameter(property = "staleguard.shard")
    private String shard;

    /** The master seed every run seed derives from; default a fresh random seed, printed. */
    @Parameter(property = "staleguard.seed")
    private String seed;

    /** {@code HAZARD:SEED} replays one scenario seed on the presets of {@code staleguard.kernel}, as reproduce lines say. */
    @Parameter(property = "staleguard.replay")
    private String replay;

    /** How many violations are kept in full (each with its file); counts stay exact. */
    @Parameter(property = "staleguard.maxViolationFiles", defaultValue = "100")
    private int maxViolationFiles;

    /** The operation budget of one scenario run (a run ends at its first violation or there). */
    @Parameter(property = "staleguard.opsPerRun", defaultValue = "10000")
    private long opsPerRun;

    /** Threads running scenario seeds side by side; 0 means one per available processor. */
    @Parameter(property = "staleguard.threads", defaultValue = "0")
    private int threads;

    /** Size of the real-backend workload's device, in MiB. */
    @Parameter(property = "staleguard.deviceMiB", defaultValue = "64")
    private int deviceMiB;

    /**
     * The crash states each {@code @Soak} crash test explores per round (its {@code staleguard.crashStates}); every
     * round's fresh seed samples other states beyond the exhaustive ones.
     */
    @Parameter(property = "staleguard.crashStates", defaultValue = "1000")
    private String crashStates;

    /**
     * Seeded storage faults for the {@code @Soak} tests, in the fault-spec syntax ({@code read-error=0.001},
     * {@code fsync-error@2,lost-write=0.0005}; {@code none} turns declared faults off): the forked tests get it as
     * {@code staleguard.faults}, which replaces {@code @Device(faults)} on every simulated device. Unset leaves the
     * tests' own. Refused with {@code staleguard.backend=file|loop}: the faults are the simulated device's, and there
     * every test runs on the host kernel.
     */
    @Parameter(property = "staleguard.faults")
    private String faults;

    /** The kinds the HTML report's verdict line counts as failing (as in {@code check}). */
    @Parameter(property = "staleguard.failOn")
    private String failOn;

    /** The tolerated count per failing kind in the HTML report's verdict line (as in {@code check}). */
    @Parameter(property = "staleguard.maxViolations", defaultValue = "0")
    private long maxViolations;

    /** The java executable of the fork; default the JVM running Maven. */
    @Parameter(property = "staleguard.jvm")
    private String jvm;

    /** Extra JVM arguments of the fork, space separated. */
    @Parameter(property = "staleguard.argLine")
    private String argLine;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private PluginDescriptor plugin;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Inject
    private RepositorySystem repositorySystem;

    @Override
    public void execute() throws MojoExecutionException {
        if (skipped("soak")) {
            return;
        }
        long budget;
        long progress;
        ShardSpec shardSpec;
        long master;
        try {
            budget = DurationSpec.parseMillis("staleguard.duration", duration);
            progress = DurationSpec.parseMillis("staleguard.progressInterval", progressInterval);
            shardSpec = ShardSpec.parse(shard);
            master = seed == null || seed.isBlank() ? new SecureRandom().nextLong()
                    : SeedText.parse("staleguard.seed", seed);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage());
        }
        Set<ViolationKind> reportKinds;
        try {
            reportKinds = KindSelection.parse(failOn);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage());
        }
        if (maxViolations < 0) {
            throw new MojoExecutionException("staleguard.maxViolations: must be 0 or more, was " + maxViolations);
        }
        String kernels = kernel == null || kernel.isBlank() ? "AUTO" : kernel.trim();
        try {
            // Checked here for a quick one-line error; the fork checks again against the project's own classpath.
            KernelSelection.check("staleguard.kernel", kernels);
            if (replay != null && !replay.isBlank()) {
                KernelSelection.checkReplay("staleguard.replay", replay.trim());
            }
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage());
        }
        String backendName = backend == null ? "" : backend.trim().toLowerCase(Locale.ROOT);
        if (backendName.equals("simulated") || backendName.equals("none")) {
            backendName = "";
        }
        if (!backendName.isEmpty() && !backendName.equals("file") && !backendName.equals("loop")) {
            throw new MojoExecutionException("staleguard.backend='" + backend + "' is not a soak backend (use file or "
                    + "loop, or leave it empty for the simulated stack only)");
        }
        if (maxViolationFiles < 0) {
            throw new MojoExecutionException("staleguard.maxViolationFiles=" + maxViolationFiles + " must be 0 or more");
        }
        if (deviceMiB <= 0) {
            throw new MojoExecutionException("staleguard.deviceMiB=" + deviceMiB + " must be positive");
        }
        if (threads < 0) {
            throw new MojoExecutionException("staleguard.threads=" + threads + " must be 0 (one per processor) or more");
        }
        if (opsPerRun <= 0) {
            throw new MojoExecutionException("staleguard.opsPerRun=" + opsPerRun + " must be positive");
        }
        int crashBudget = crashBudget(crashStates);
        String faultSpec = faultSpec(faults);
        checkFaultsBackend(faults, faultSpec, backendName);
        Path reports = reportDirectory.toPath();
        Path work = reports.resolve("soak-work");
        try {
            PreviousSoak.clear(reports, work);
            SoakConfig config = new SoakConfig(reports.toString(), work.toString(),
                    project.getBuild().getTestOutputDirectory(), project.getGroupId() + ":" + project.getArtifactId(),
                    budget, progress, kernels, backendName,
                    shardSpec.index(), shardSpec.count(), master, replay == null ? "" : replay.trim(),
                    maxViolationFiles, deviceMiB * 1024L * 1024L, opsPerRun, threads, crashBudget, faultSpec);
            Path configFile = work.resolve("soak-config.json");
            ReportJson.writeAtomically(configFile, config);
            String java = jvm == null || jvm.isBlank()
                    ? Path.of(System.getProperty("java.home"), "bin", "java").toString() : jvm;
            List<String> jvmArgs = argLine == null || argLine.isBlank() ? List.of()
                    : List.of(argLine.trim().split("\\s+"));
            getLog().info("Staleguard soak: " + (config.replay().isEmpty() ? DurationSpec.format(budget)
                    + " budget" : "replay " + config.replay()) + ", kernel " + config.kernels() + ", shard "
                    + shardSpec + ", master seed " + SeedText.hex(master) + (backendName.isEmpty() ? ""
                    : ", backend " + backendName));
            ForkedSoak.Result result = ForkedSoak.run(java, jvmArgs,
                    new ForkClasspath(project, plugin, repositorySystem, session, getLog()).elements(), configFile,
                    project.getBasedir().toPath(), ForkedSoak.Sink.of(getLog()::info, getLog()::warn,
                            getLog()::error));
            judgeExit(result, reports, config);
            writeReport(reports, reportKinds);
        } catch (IOException e) {
            throw new MojoExecutionException("Staleguard soak: cannot run the forked JVM: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("Staleguard soak: interrupted while waiting for the forked JVM");
        }
    }

    private void judgeExit(ForkedSoak.Result result, Path reports, SoakConfig config) throws IOException,
            MojoExecutionException {
        ForkOutcome outcome = ForkOutcome.settle(result.exitCode(), result.configError(), reports, config);
        switch (outcome.kind()) {
            case CONFIG_ERROR -> throw new MojoExecutionException(outcome.message());
            case INTERRUPTED -> getLog().warn(outcome.message());
            case CRASHED -> getLog().error(outcome.message());
            default -> getLog().debug(outcome.message());
        }
    }

    /** {@code staleguard.crashStates}: a whole number of at least 1. */
    static int crashBudget(String text) throws MojoExecutionException {
        String t = text == null || text.isBlank() ? Integer.toString(SoakConfig.DEFAULT_CRASH_STATES) : text.trim();
        try {
            int n = Integer.parseInt(t);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below names the value
        }
        throw new MojoExecutionException("staleguard.crashStates='" + text + "' is not a crash-state budget (a "
                + "whole number of at least 1: the crash states each @Soak crash test explores per round)");
    }

    /**
     * {@code staleguard.faults}: its canonical text, or empty when unset; a bad spec is one line naming the bad token
     * (as {@code FaultSpec.parse} words it).
     */
    static String faultSpec(String text) throws MojoExecutionException {
        if (text == null || text.isBlank()) {
            return "";
        }
        try {
            return FaultSpec.parse(text).toString();
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("staleguard.faults='" + text + "': " + e.getMessage());
        }
    }

    /**
     * Faults are the simulated device's: on a real backend every {@code @Soak} test runs on the host kernel (the
     * backend override), where the spec would be dropped silently, so a spec other than {@code none} is refused in
     * one line naming the spec and the backend.
     */
    static void checkFaultsBackend(String text, String spec, String backendName) throws MojoExecutionException {
        if (!spec.isEmpty() && !spec.equals("none") && !backendName.isEmpty()) {
            throw new MojoExecutionException("staleguard.faults='" + text.trim() + "' with staleguard.backend="
                    + backendName + ": faults are injected by the simulated device, and the " + backendName
                    + " backend runs the host kernel; drop staleguard.faults, or soak on the simulated stack (leave "
                    + "staleguard.backend empty)");
        }
    }

    /** What the soak found is worth a report whatever it is; a report that cannot be written is a warning only. */
    private void writeReport(Path reports, Set<ViolationKind> kinds) {
        try {
            new ReportPublisher(project.getGroupId() + ":" + project.getArtifactId(), kinds, maxViolations)
                    .publish(ReportSet.read(reports))
                    .ifPresent(index -> getLog().info("Staleguard: report written to " + index));
        } catch (ReportFileException e) {
            getLog().warn("Staleguard: no HTML report: cannot read a report: " + e.getMessage());
        } catch (IOException e) {
            getLog().warn("Staleguard: no HTML report: cannot write it to " + reports + ": " + e);
        }
    }
}
