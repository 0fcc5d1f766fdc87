package io.staleguard.maven.internal.model;

import java.util.List;

/**
 * One violation found by a soak, in full ({@code staleguard-soak-violation/1}, file
 * {@code target/staleguard/violations/<id>.json}).
 *
 * @param format          the format tag
 * @param entry           the summary entry (id, source, seed, reproduce command, violation)
 * @param timeline        the operation log around the violation
 * @param minimalTimeline the shrunk operation log that still reproduces it (may be empty)
 * @param operations      operations the run took until it ended
 */
public record ViolationFile(String format, ViolationEntry entry, List<ReportedEvent> timeline,
                            List<ReportedEvent> minimalTimeline, long operations) {

    /** The format name and major version. */
    public static final String FORMAT = "staleguard-soak-violation/1";

    public ViolationFile {
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
        minimalTimeline = minimalTimeline == null ? List.of() : List.copyOf(minimalTimeline);
    }
}
