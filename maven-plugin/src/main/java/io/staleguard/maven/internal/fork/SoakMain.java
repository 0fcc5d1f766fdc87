package io.staleguard.maven.internal.fork;

import io.staleguard.device.Seeds;
import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.json.ReportJson;
import io.staleguard.maven.internal.model.Counts;
import io.staleguard.maven.internal.model.ScenarioStats;
import io.staleguard.maven.internal.model.SoakSummary;
import io.staleguard.maven.internal.model.ThroughputSample;
import io.staleguard.maven.internal.settings.DurationSpec;
import io.staleguard.maven.internal.settings.SeedText;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The forked soak JVM's entry point: {@code java -cp <test classpath + plugin> SoakMain config.json}.
 *
 * <p>Runs the parts (hazard scenarios, {@code @Soak} tests, real-backend workload) within the
 * shared budget, prints a progress line per interval, keeps a checkpoint summary on disk so a
 * crash loses little, and on SIGINT/SIGTERM, or when its parent Maven is gone ({@link ParentWatchdog}), stops, writes
 * a partial summary and says so.
 */
public final class SoakMain {

    /** How long an orphaned fork waits for its running part to stop before it exits through the signal path. */
    static final long ORPHAN_GRACE_SECONDS = 30;

    private final SoakConfig config;
    private final PrintStream out;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    /** Why the soak stopped early, for the partial summary's detail. */
    private volatile String stopReason = "a signal";
    private volatile SoakStats stats;
    /** When the budget ends ({@link System#nanoTime()}), once the parts start. */
    private volatile long budgetEndNanos;

    SoakMain(SoakConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /** Entry point. */
    public static void main(String[] args) {
        PrintStream out = System.out;
        if (args.length != 1) {
            out.println(ForkProtocol.CONFIG_ERROR + "usage: SoakMain <soak-config.json>");
            System.exit(ForkProtocol.EXIT_CONFIG);
        }
        SoakMain main;
        try {
            main = new SoakMain(ReportJson.mapper().readValue(Path.of(args[0]).toFile(), SoakConfig.class), out);
        } catch (Exception e) {
            out.println(ForkProtocol.CONFIG_ERROR + "cannot read the soak configuration " + args[0] + ": " + e);
            System.exit(ForkProtocol.EXIT_CONFIG);
            return;
        }
        int code;
        try {
            code = main.run();
        } catch (ConfigurationError e) {
            out.println(ForkProtocol.CONFIG_ERROR + e.getMessage());
            out.flush();
            System.exit(ForkProtocol.EXIT_CONFIG);
            return;
        } catch (Throwable t) {
            out.println(ForkProtocol.ERROR + "the soak crashed: " + t);
            t.printStackTrace(out);
            out.flush();
            main.finished.countDown();
            // Anything but 0/2/130/143 tells the goal the fork crashed; the checkpoint summary stays behind.
            Runtime.getRuntime().halt(1);
            return;
        }
        out.flush();
        if (!main.signalled.get()) {
            System.exit(code);
        }
    }

    /** A bad setting found in the fork (the presets are known only here). */
    static final class ConfigurationError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConfigurationError(String message) {
            super(message);
        }
    }

    int run() throws Exception {
        long startNanos = System.nanoTime();
        Path reportDir = Path.of(config.reportDirectory());
        Path summaryFile = reportDir.resolve(ReportSet.SUMMARY);
        SeedSpace seeds = new SeedSpace(config.masterSeed(), config.shardIndex(), config.shardCount());

        Optional<HazardScenarios> engine = ScenarioEngines.create(config.opsPerRun());
        List<String> presets = List.of();
        // A replay names its preset list; otherwise an unset kernel leaves the simulated scenarios out.
        ScenarioChoice scenarios = config.replay().isEmpty() ? ScenarioChoice.of(config.kernels(), config.backend())
                : ScenarioChoice.forReplay(config.kernels());
        if (scenarios.runs()) {
            if (engine.isEmpty()) {
                throw new ConfigurationError("staleguard.kernel='" + config.kernels() + "': "
                        + ScenarioEngines.unavailableReason());
            }
            try {
                presets = engine.get().presets(scenarios.spec());
            } catch (IllegalArgumentException e) {
                throw new ConfigurationError("staleguard.kernel='" + config.kernels() + "': " + e.getMessage());
            }
        }
        stats = new SoakStats(config, presets, Instant.now().toString(), startNanos);
        SoakContext ctx = new SoakContext(config, seeds, stats, stop, out);

        if (!config.replay().isEmpty()) {
            return replay(ctx, engine, presets, summaryFile);
        }

        List<SoakPart> parts = new ArrayList<>();
        if (!presets.isEmpty()) {
            parts.add(new ScenarioPart(engine.get(), presets, scenarios.reason()));
        }
        parts.add(new SoakTestPart());
        if (!config.backend().isEmpty()) {
            DeviceOpener devices = RealDevices.create();
            if (ScenarioChoice.onHost(config.kernels(), config.backend())) {
                parts.add(new HostScenarioPart(config.backend(), devices));
            }
            parts.add(new WorkloadPart(config.backend(), devices));
        }
        // Before preparing: a signal during test discovery or device set-up also leaves a partial summary.
        installSignalHandler(summaryFile);
        ParentWatchdog.parentFromProperty().ifPresent(parent -> ParentWatchdog.start(parent, System.in,
                this::parentGone));
        List<SoakPart> active = new ArrayList<>();
        for (SoakPart p : parts) {
            if (!stop.get() && p.prepare(ctx)) {
                active.add(p);
            }
        }
        out.println("[staleguard] soak of " + config.projectName() + ": budget " + DurationSpec.format(
                config.budgetMillis()) + ", shard " + config.shard() + ", master seed "
                + Seeds.hex(config.masterSeed()));
        if (active.isEmpty()) {
            out.println("[staleguard] nothing to run: no @Soak tests, no simulated presets asked for, no backend");
        }
        for (int i = 0; i < active.size(); i++) {
            out.println("[staleguard]   part " + (i + 1) + ": " + active.get(i).describe() + " - "
                    + (active.size() == 1 ? "all " : "about ") + DurationSpec.format(config.budgetMillis()
                    / active.size()) + " of the budget" + (active.get(i).why().isEmpty() ? "" : ": "
                    + active.get(i).why()));
        }
        if (!scenarios.runs()) {
            out.println("[staleguard]   not run: kernel scenarios H1-H5 on the simulated stack: " + scenarios.reason());
        }
        // The budget is for the parts; JVM start-up and test discovery come on top.
        long budgetEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.budgetMillis());
        budgetEndNanos = budgetEnd;
        Thread progress = startProgress(summaryFile);
        List<String> spent = new ArrayList<>();
        for (int i = 0; i < active.size() && !stop.get(); i++) {
            long partStart = System.nanoTime();
            long remaining = budgetEnd - partStart;
            long partEnd = partStart + remaining / (active.size() - i);
            active.get(i).run(ctx, partEnd);
            spent.add("part " + (i + 1) + " " + DurationSpec.format((System.nanoTime() - partStart) / 1_000_000));
        }
        progress.interrupt();
        progress.join(2000);
        if (!spent.isEmpty()) {
            out.println("[staleguard] budget spent: " + String.join(", ", spent));
        }
        stats.sample();
        boolean interrupted = stop.get();
        SoakSummary summary = stats.summary(interrupted ? "INTERRUPTED" : "COMPLETE",
                interrupted ? "stopped by " + stopReason + " after " + DurationSpec.format(stats.elapsedMillis())
                        + " of " + DurationSpec.format(config.budgetMillis()) + "; this summary is partial" : "");
        finish(summary, summaryFile);
        return ForkProtocol.EXIT_COMPLETE;
    }

    private int replay(SoakContext ctx, Optional<HazardScenarios> engine, List<String> presets, Path summaryFile)
            throws Exception {
        String[] parts = config.replay().split(":", 2);
        if (parts.length != 2 || engine.isEmpty()) {
            throw new ConfigurationError("staleguard.replay='" + config.replay() + "' is not a replay (use "
                    + "HAZARD:SEED, e.g. H2:0x00000000deadbeef, as printed in reproduce lines)");
        }
        String hazard = parts[0].trim().toUpperCase(java.util.Locale.ROOT);
        if (!engine.get().hazards().contains(hazard)) {
            throw new ConfigurationError("staleguard.replay='" + config.replay() + "': unknown hazard '" + parts[0]
                    + "' (expected one of " + engine.get().hazards() + ")");
        }
        long seed;
        try {
            seed = SeedText.parse("staleguard.replay", parts[1]);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationError(e.getMessage());
        }
        ScenarioPart part = new ScenarioPart(engine.get(), presets);
        for (String preset : presets) {
            long found = part.runOne(ctx, hazard, preset, seed);
            out.println("[staleguard] replay " + hazard + " on " + preset + " with seed " + Seeds.hex(seed) + ": "
                    + (found == 0 ? "no violation" : Counts.inWords(stats.counts())));
        }
        stats.sample();
        finish(stats.summary("REPLAY", "replay of " + hazard + " seed " + parts[1].trim()), summaryFile);
        return ForkProtocol.EXIT_COMPLETE;
    }

    private void finish(SoakSummary summary, Path summaryFile) throws Exception {
        synchronized (this) {
            ReportJson.writeAtomically(summaryFile, summary);
            SurefireXml.write(summaryFile.resolveSibling(SurefireXml.FILE), summary);
        }
        printMatrix(summary);
        int shown = 0;
        for (var v : summary.violations()) {
            if (++shown > 10) {
                out.println(ForkProtocol.WARN + (summary.violations().size() - 10) + " more violations kept in "
                        + summaryFile.resolveSibling(ReportSet.VIOLATIONS) + " (staleguard:report draws them)");
                break;
            }
            out.println(ForkProtocol.WARN + v.violation().summary() + " in " + v.name() + " (seed " + v.seed() + ")");
            out.println(ForkProtocol.WARN + "  reproduce: " + v.reproduce());
        }
        out.println("[staleguard] soak " + summary.status() + ": " + String.format("%,d", summary.operations())
                + " operations in " + DurationSpec.format(summary.elapsedMillis()) + ", violations: "
                + Counts.inWords(summary.counts()) + "; summary in " + summaryFile);
        out.flush();
        finished.countDown();
    }

    /** Hazard x preset: seeds with violations / seeds run. */
    private void printMatrix(SoakSummary s) {
        if (s.scenarios().isEmpty()) {
            return;
        }
        List<String> hazards = s.scenarios().stream().map(ScenarioStats::hazard).distinct().toList();
        List<String> presets = s.scenarios().stream().map(ScenarioStats::preset).distinct().toList();
        int w = Math.max(12, presets.stream().mapToInt(String::length).max().orElse(12));
        StringBuilder sb = new StringBuilder("[staleguard] detection matrix (seeds with violations / seeds run):\n");
        sb.append(String.format("[staleguard]   %-" + w + "s", "preset"));
        hazards.forEach(h -> sb.append(String.format(" %12s", h)));
        sb.append('\n');
        for (String p : presets) {
            sb.append(String.format("[staleguard]   %-" + w + "s", p));
            for (String h : hazards) {
                ScenarioStats row = s.scenarios().stream().filter(r -> r.hazard().equals(h) && r.preset().equals(p))
                        .findFirst().orElse(null);
                sb.append(String.format(" %12s", row == null ? "-" : row.runsWithViolations() + "/" + row.runs()));
            }
            sb.append('\n');
        }
        out.print(sb);
    }

    private Thread startProgress(Path summaryFile) {
        Thread t = new Thread(() -> {
            ThroughputSample last = new ThroughputSample(0, 0, 0, 0);
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(config.progressMillis());
                    ThroughputSample s = stats.sample();
                    double secs = Math.max(1, s.elapsedMillis() - last.elapsedMillis()) / 1000.0;
                    // One plain line per interval: readable in CI logs, no carriage-return animation.
                    out.println(String.format("[staleguard] %s elapsed, %s left | %,d ops | %,.0f op/s | %.1f MB/s"
                                    + " | violations: %s", DurationSpec.format(s.elapsedMillis()),
                            DurationSpec.format((budgetEndNanos - System.nanoTime()) / 1_000_000), s.operations(),
                            (s.operations() - last.operations()) / secs, (s.bytes() - last.bytes()) / secs / 1e6,
                            Counts.inWords(stats.counts())));
                    last = s;
                    synchronized (this) {
                        ReportJson.writeAtomically(summaryFile, stats.summary("RUNNING",
                                "checkpoint; the soak had not finished when this was written"));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                out.println(ForkProtocol.WARN + "progress: " + e);
            }
        }, "staleguard-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Maven went away without stopping the fork (kill -9): stop as on a signal, so the running part ends, the partial
     * summary is written and the devices are released. If the part does not stop in time, exiting runs the signal
     * path, which writes the summary itself and lets the devices' own exit hooks release them.
     */
    private void parentGone(String why) {
        stopReason = "the soak's watchdog: " + why;
        out.println(ForkProtocol.WARN + "stopping the soak: " + why + " (killed?); writing a partial summary");
        out.flush();
        stop.set(true);
        Thread deadline = new Thread(() -> {
            try {
                if (!finished.await(ORPHAN_GRACE_SECONDS, TimeUnit.SECONDS)) {
                    System.exit(ForkProtocol.EXIT_SIGTERM);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "staleguard-orphan-deadline");
        deadline.setDaemon(true);
        deadline.start();
    }

    private void installSignalHandler(Path summaryFile) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (finished.getCount() == 0) {
                return;
            }
            signalled.set(true);
            stop.set(true);
            try {
                // Let the running part stop at its next check and write the partial summary itself.
                if (!finished.await(10, TimeUnit.SECONDS)) {
                    SoakSummary partial = stats.summary("INTERRUPTED", "stopped by " + stopReason + "; the running "
                            + "part did not stop in time; this summary is partial");
                    synchronized (this) {
                        ReportJson.writeAtomically(summaryFile, partial);
                    }
                }
                out.println("[staleguard] soak interrupted by a signal: partial summary written to " + summaryFile);
                out.flush();
            } catch (Exception e) {
                out.println(ForkProtocol.ERROR + "could not write the partial summary: " + e);
            }
        }, "staleguard-signal"));
    }

}
