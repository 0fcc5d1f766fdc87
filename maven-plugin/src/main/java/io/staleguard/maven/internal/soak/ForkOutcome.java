package io.staleguard.maven.internal.soak;

import io.staleguard.device.Seeds;
import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.fork.ForkProtocol;
import io.staleguard.maven.internal.fork.SoakConfig;
import io.staleguard.maven.internal.fork.SurefireXml;
import io.staleguard.maven.internal.json.ReportFileException;
import io.staleguard.maven.internal.json.ReportJson;
import io.staleguard.maven.internal.model.SoakFaults;
import io.staleguard.maven.internal.model.SoakSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Decides what a finished fork means: a configuration error (the build fails), an interrupted
 * soak (partial summary), a clean end, or a crash. A crash is never left looking clean: the
 * summary is rewritten as {@code CRASHED} (keeping the last checkpoint's counts), so {@code check}
 * fails on it.
 *
 * @param kind    what happened
 * @param message one line for the log
 */
public record ForkOutcome(Kind kind, String message) {

    /** What a fork's end means. */
    public enum Kind {
        /** A bad setting: the goal fails with {@link #message()}. */
        CONFIG_ERROR,
        /** Stopped by a signal; the summary is partial. */
        INTERRUPTED,
        /** Ran to its end (with or without violations). */
        COMPLETE,
        /** Died: the summary now says CRASHED. */
        CRASHED
    }

    /** Settles the fork's end; rewrites the summary and XML on a crash. */
    public static ForkOutcome settle(int exitCode, String configError, Path reports, SoakConfig config)
            throws IOException {
        Path summaryFile = reports.resolve(ReportSet.SUMMARY);
        if (exitCode == ForkProtocol.EXIT_CONFIG) {
            return new ForkOutcome(Kind.CONFIG_ERROR, configError.isEmpty()
                    ? "Staleguard soak: configuration error (see the log above)" : configError);
        }
        SoakSummary summary = null;
        String unreadable = "";
        if (Files.isRegularFile(summaryFile)) {
            try {
                summary = ReportJson.read(summaryFile, SoakSummary.class, SoakSummary.FORMAT);
            } catch (ReportFileException e) {
                unreadable = "; its summary was unreadable (" + e.getMessage() + ")";
            }
        }
        if ((exitCode == ForkProtocol.EXIT_SIGINT || exitCode == ForkProtocol.EXIT_SIGTERM) && summary != null
                && "INTERRUPTED".equals(summary.status())) {
            return new ForkOutcome(Kind.INTERRUPTED, "Staleguard soak: interrupted (exit " + exitCode + "); the summary "
                    + summaryFile + " is partial");
        }
        if (exitCode == ForkProtocol.EXIT_COMPLETE && summary != null && summary.complete()) {
            return new ForkOutcome(Kind.COMPLETE, "Staleguard soak: " + summary.status());
        }
        String why = exitCode == ForkProtocol.EXIT_COMPLETE ? "the forked JVM exited without a summary"
                : "the forked JVM crashed (exit code " + exitCode + ")";
        why += unreadable;
        SoakSummary crashed = summary != null
                ? summary.withStatus("CRASHED", why + "; counts are from its last checkpoint")
                : new SoakSummary(SoakSummary.FORMAT, "CRASHED", why + " before its first checkpoint",
                Instant.now().toString(), config.budgetMillis(), 0, config.shard(), Seeds.hex(config.masterSeed()),
                List.of(config.kernels()), config.backend().isEmpty() ? "simulated" : config.backend(), List.of(), 0,
                0, Map.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                new SoakFaults(config.faults(), 0));
        ReportJson.writeAtomically(summaryFile, crashed);
        SurefireXml.write(reports.resolve(SurefireXml.FILE), crashed);
        return new ForkOutcome(Kind.CRASHED, "Staleguard soak: " + why + "; this is NOT a clean run: the summary says "
                + "CRASHED and staleguard:check fails on it");
    }
}
