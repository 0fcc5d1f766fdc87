package io.staleguard.maven.internal.model;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import java.util.List;

/**
 * The violation object shared by every report file ({@code docs/REPORT-FORMAT.md}).
 */
public record ReportedViolation(String kind, long offset, long length, long lba, String expected, String actual,
                                long firstDiffOffset, String thread, String detail, List<String> submitStack,
                                List<ReportedEvent> timeline) {

    public ReportedViolation {
        expected = expected == null ? "" : expected;
        actual = actual == null ? "" : actual;
        thread = thread == null ? "" : thread;
        detail = detail == null ? "" : detail;
        submitStack = submitStack == null ? List.of() : List.copyOf(submitStack);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }

    /** Converts a device-side violation, keeping its timeline. */
    public static ReportedViolation of(Violation v) {
        return new ReportedViolation(v.kind().name(), v.offset(), v.length(), v.lba(), v.expected(), v.actual(),
                v.firstDiffOffset(), v.thread(), v.detail(), v.submitStack(),
                v.timeline().stream().map(ReportedEvent::of).toList());
    }

    /** The kind; throws {@link IllegalArgumentException} naming it when unknown. */
    public ViolationKind parsedKind() {
        return ViolationKind.parse(kind == null ? "" : kind);
    }

    /** The same violation without its timeline (summaries keep only the first lines). */
    public ReportedViolation withoutTimeline() {
        return new ReportedViolation(kind, offset, length, lba, expected, actual, firstDiffOffset, thread, detail,
                submitStack, List.of());
    }

    /** One line: kind in words, location, expected and actual. */
    public String summary() {
        String words;
        try {
            words = parsedKind().inWords();
        } catch (IllegalArgumentException e) {
            words = String.valueOf(kind);
        }
        return words + " at offset " + offset + " (lba " + lba + ", " + length + " bytes): expected " + expected
                + ", actual " + actual + (firstDiffOffset >= 0 ? ", first differing byte at " + firstDiffOffset : "")
                + (thread.isEmpty() ? "" : ", thread " + thread);
    }
}
