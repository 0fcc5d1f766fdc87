package io.staleguard.maven.internal.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import java.util.List;

/**
 * The violation object shared by every report file ({@code docs/REPORT-FORMAT.md}).
 *
 * @param location the file and the offset in it, for a violation on a file; null (and absent from the JSON) for one
 *                 on the raw device and in reports written before files had locations
 */
@JsonPropertyOrder({"kind", "offset", "length", "lba", "location"})
public record ReportedViolation(String kind, long offset, long length, long lba, String expected, String actual,
                                long firstDiffOffset, String thread, String detail, List<String> submitStack,
                                List<ReportedEvent> timeline,
                                @JsonInclude(JsonInclude.Include.NON_NULL) ReportedLocation location) {

    public ReportedViolation {
        expected = expected == null ? "" : expected;
        actual = actual == null ? "" : actual;
        thread = thread == null ? "" : thread;
        detail = detail == null ? "" : detail;
        submitStack = submitStack == null ? List.of() : List.copyOf(submitStack);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }

    /** A violation on the raw device (no file location). */
    public ReportedViolation(String kind, long offset, long length, long lba, String expected, String actual,
                             long firstDiffOffset, String thread, String detail, List<String> submitStack,
                             List<ReportedEvent> timeline) {
        this(kind, offset, length, lba, expected, actual, firstDiffOffset, thread, detail, submitStack, timeline,
                null);
    }

    /** Converts a device-side violation, keeping its timeline. */
    public static ReportedViolation of(Violation v) {
        return new ReportedViolation(v.kind().name(), v.offset(), v.length(), v.lba(), v.expected(), v.actual(),
                v.firstDiffOffset(), v.thread(), v.detail(), v.submitStack(),
                v.timeline().stream().map(ReportedEvent::of).toList(), ReportedLocation.of(v.location()));
    }

    /** The kind; throws {@link IllegalArgumentException} naming it when unknown. */
    public ViolationKind parsedKind() {
        return ViolationKind.parse(kind == null ? "" : kind);
    }

    /** The same violation without its timeline (summaries keep only the first lines). */
    public ReportedViolation withoutTimeline() {
        return new ReportedViolation(kind, offset, length, lba, expected, actual, firstDiffOffset, thread, detail,
                submitStack, List.of(), location);
    }

    /** One line: kind in words, location (with the file, when there is one), expected and actual. */
    public String summary() {
        String words;
        try {
            words = parsedKind().inWords();
        } catch (IllegalArgumentException e) {
            words = String.valueOf(kind);
        }
        return words + " at offset " + offset + " (lba " + lba + ", " + length + " bytes"
                + (location == null ? "" : ", " + location) + "): expected " + expected
                + ", actual " + actual + (firstDiffOffset >= 0 ? ", first differing byte at " + firstDiffOffset : "")
                + (thread.isEmpty() ? "" : ", thread " + thread);
    }
}
