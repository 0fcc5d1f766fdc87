package io.staleguard.maven.internal.fork;

import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.json.ReportJson;
import io.staleguard.maven.internal.model.ReportedEvent;
import io.staleguard.maven.internal.model.ReportedViolation;
import io.staleguard.maven.internal.model.ViolationEntry;
import io.staleguard.maven.internal.model.ViolationFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every soak part works with: the configuration, the seeds, the shared statistics, the stop
 * flag a signal sets, and the recorder of violation files.
 */
final class SoakContext {

    /** Violations kept in full per scenario/test/workload, so one noisy source cannot take every slot. */
    static final int PER_SOURCE = 5;

    final SoakConfig config;
    final SeedSpace seeds;
    final SoakStats stats;
    final AtomicBoolean stop;
    final PrintStream out;
    final Path reportDirectory;

    SoakContext(SoakConfig config, SeedSpace seeds, SoakStats stats, AtomicBoolean stop, PrintStream out) {
        this.config = config;
        this.seeds = seeds;
        this.stats = stats;
        this.stop = stop;
        this.out = out;
        this.reportDirectory = Path.of(config.reportDirectory());
    }

    /** Whether the part must stop now: budget used up or a signal arrived. */
    boolean over(long deadlineNanos) {
        return stop.get() || System.nanoTime() - deadlineNanos >= 0;
    }

    /**
     * Keeps one violation in full (summary entry plus {@code violations/<id>.json}) unless the cap
     * is reached; counts are the caller's business and stay exact either way.
     */
    synchronized void record(String source, String name, String hazard, String preset, String seed, String reproduce,
                ReportedViolation violation, List<ReportedEvent> timeline, List<ReportedEvent> minimal,
                long operations) throws IOException {
        if (!stats.wantsViolation(name, PER_SOURCE)) {
            return;
        }
        String id = String.format("v%04d", stats.nextViolationNumber());
        String file = ReportSet.VIOLATIONS + "/" + id + ".json";
        ViolationEntry entry = new ViolationEntry(id, source, name, hazard, preset, seed, reproduce, file,
                violation.withoutTimeline());
        ReportJson.writeAtomically(reportDirectory.resolve(file), new ViolationFile(ViolationFile.FORMAT, entry,
                timeline.isEmpty() ? violation.timeline() : timeline, minimal, operations));
        stats.addViolation(entry);
    }
}
