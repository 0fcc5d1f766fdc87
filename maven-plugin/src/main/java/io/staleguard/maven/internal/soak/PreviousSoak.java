package io.staleguard.maven.internal.soak;

import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.fork.SurefireXml;
import io.staleguard.maven.internal.json.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Removes what a previous soak left in the report directory before a new one starts, so that nothing of an old run
 * can pass for this one's: if the new fork dies early, or is killed, {@code check} and the report see this run's
 * checkpoint or nothing, never the old {@code COMPLETE} summary or its pages. The extension's per-test reports
 * ({@code tests/}) stay: they are this build's, written by {@code test} before the soak.
 */
public final class PreviousSoak {

    private PreviousSoak() {
    }

    /** Deletes the old summary, XML, violation files, HTML report and scratch space; creates {@code work} afresh. */
    public static void clear(Path reports, Path work) throws IOException {
        Files.createDirectories(reports);
        Files.deleteIfExists(reports.resolve(ReportSet.SUMMARY));
        Files.deleteIfExists(reports.resolve(SurefireXml.FILE));
        Files.deleteIfExists(reports.resolve(ReportSet.INDEX));
        FileTrees.deleteTree(reports.resolve(ReportSet.HTML));
        FileTrees.deleteTree(reports.resolve(ReportSet.VIOLATIONS));
        FileTrees.deleteTree(work);
        Files.createDirectories(work);
    }
}
