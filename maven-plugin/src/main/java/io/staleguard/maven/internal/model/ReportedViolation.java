package io.staleguard.maven.internal.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import java.util.List;

/**
 * The violation object shared by every report file ({@code docs/REPORT-FORMAT.md}).
 *
 * @param location  the file and the offset in it, for a violation on a file; null (and absent from the JSON) for one
 *                  on the raw device and in reports written before files had locations
 * @param reproduce the violation's own reproduce line when it differs from its test's (a crash violation's names its
 *                  crash state); empty (and absent from the JSON) otherwise
 * @param crash     the crash state of a DURABILITY or CRASH_RECOVERY violation; null (and absent) for other kinds
 */
@JsonPropertyOrder({"kind", "offset", "length", "lba", "location"})
public record ReportedViolation(String kind, long offset, long length, long lba, String expected, String actual,
                                long firstDiffOffset, String thread, String detail, List<String> submitStack,
                                List<ReportedEvent> timeline,
                                @JsonInclude(JsonInclude.Include.NON_NULL) ReportedLocation location,
                                @JsonInclude(JsonInclude.Include.NON_EMPTY) String reproduce,
                                @JsonInclude(JsonInclude.Include.NON_NULL) CrashInfo crash) {

    public ReportedViolation {
        expected = expected == null ? "" : expected;
        actual = actual == null ? "" : actual;
        thread = thread == null ? "" : thread;
        detail = detail == null ? "" : detail;
        submitStack = submitStack == null ? List.of() : List.copyOf(submitStack);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
        reproduce = reproduce == null ? "" : reproduce;
    }

    /** A violation with a file location (or none), not from a crash state. */
    public ReportedViolation(String kind, long offset, long length, long lba, String expected, String actual,
                             long firstDiffOffset, String thread, String detail, List<String> submitStack,
                             List<ReportedEvent> timeline, ReportedLocation location) {
        this(kind, offset, length, lba, expected, actual, firstDiffOffset, thread, detail, submitStack, timeline,
                location, "", null);
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
                submitStack, List.of(), location, reproduce, crash);
    }

    /** The violation's own reproduce line, else {@code testLine} (the line of the test or soak run it came from). */
    public String reproduceOr(String testLine) {
        return reproduce.isEmpty() ? testLine : reproduce;
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
