package io.staleguard.maven.internal.html;

import io.staleguard.device.ViolationKind;
import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.json.ReportFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Writes the HTML report whenever a report directory holds something to report, for every goal that produces or
 * judges results ({@code soak}, {@code check}, {@code merge}, {@code report}): the report is there exactly when a
 * build fails, whatever order the goals are bound in, and each failure message can name it.
 *
 * @param project       {@code groupId:artifactId}, the report's title
 * @param failOn        the kinds its verdict line counts as failing
 * @param maxViolations the tolerated count per failing kind
 */
public record ReportPublisher(String project, Set<ViolationKind> failOn, long maxViolations) {

    /** The line a failure message ends with, naming the report. */
    public static String reportLine(Path index) {
        return "The HTML report with every violation's timeline: " + index.toAbsolutePath().normalize();
    }

    /**
     * Writes {@code index.html} and the violation pages for {@code reports}; empty when there is nothing to report
     * (no per-test report, no soak summary), so a project without Staleguard results gets no empty page.
     */
    public Optional<Path> publish(ReportSet reports) throws IOException, ReportFileException {
        if (reports.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(HtmlReport.write(reports, project, failOn, maxViolations));
    }
}
