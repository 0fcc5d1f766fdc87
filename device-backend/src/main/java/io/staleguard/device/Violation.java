package io.staleguard.device;

import static org.apiguardian.api.API.Status.STABLE;

import io.staleguard.device.integrity.TagMismatch;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One detected I/O consistency violation.
 *
 * <p>Violations are recorded, never thrown from inside I/O calls (unless fail-fast is on), so
 * that the caller's I/O proceeds exactly as it would without Staleguard.
 *
 * @param kind            what went wrong
 * @param offset          first byte of the affected range on the device (or in the file)
 * @param length          length of the affected range in bytes
 * @param lba             first affected logical block address, in protection-interval units
 * @param expected        what should have been seen: a tag value in hex, or a write version
 *                        such as {@code "v12 (completed t=40 by writer-1)"}
 * @param actual          what was seen, in the same notation
 * @param firstDiffOffset absolute byte offset of the first byte that differs, or -1 if unknown
 * @param thread          the thread that submitted the offending operation
 * @param submitStack     the submitting stack trace when enabled, else empty
 * @param detail          a human readable explanation
 * @param timeline        the operation log around the violation (may be empty)
 * @param location        the file and offset in the file of {@code offset}, when a filesystem on the device
 *                        holds it (see {@link FileLocator}); null for a violation on the raw device
 */
@API(status = STABLE, since = "0.1")
public record Violation(ViolationKind kind, long offset, long length, long lba, String expected, String actual,
                        long firstDiffOffset, String thread, List<String> submitStack, String detail,
                        List<TimelineEvent> timeline, FileLocation location) {

    public Violation {
        Objects.requireNonNull(kind, "kind");
        expected = expected == null ? "" : expected;
        actual = actual == null ? "" : actual;
        thread = thread == null ? "" : thread;
        submitStack = submitStack == null ? List.of() : List.copyOf(submitStack);
        detail = detail == null ? "" : detail;
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }

    /** A violation on the raw device: no file location (the form every violation had before files). */
    public Violation(ViolationKind kind, long offset, long length, long lba, String expected, String actual,
                     long firstDiffOffset, String thread, List<String> submitStack, String detail,
                     List<TimelineEvent> timeline) {
        this(kind, offset, length, lba, expected, actual, firstDiffOffset, thread, submitStack, detail, timeline,
                null);
    }

    /** A copy of this violation with the given timeline attached. */
    public Violation withTimeline(List<TimelineEvent> events) {
        return new Violation(kind, offset, length, lba, expected, actual, firstDiffOffset, thread, submitStack,
                detail, events, location);
    }

    /**
     * A copy of this violation in {@code file}: the location set, and the detail ending in
     * {@code " [in /db/wal.log at file offset 8192]"} so that every report that shows the detail names the file.
     */
    public Violation locatedAt(FileLocation file) {
        Objects.requireNonNull(file, "file");
        String text = detail.isEmpty() ? "in " + file : detail + " [in " + file + "]";
        return new Violation(kind, offset, length, lba, expected, actual, firstDiffOffset, thread, submitStack,
                text, timeline, file);
    }

    /** One line: kind, location (with the file, when there is one), expected and actual. */
    public String summary() {
        return kind.inWords() + " at offset " + offset + " (lba " + lba + ", " + length + " bytes"
                + (location == null ? "" : ", " + location) + "): expected "
                + expected + ", actual " + actual + (firstDiffOffset >= 0 ? ", first differing byte at "
                + firstDiffOffset : "") + (thread.isEmpty() ? "" : ", thread " + thread);
    }

    /**
     * Starts a violation of {@code kind}; the location, tags, thread and text are set on the
     * returned builder. The one way the detectors build violations, so that a new field has one
     * place to be filled.
     */
    public static Builder of(ViolationKind kind) {
        return new Builder(Objects.requireNonNull(kind, "kind"));
    }

    /** Starts a violation of a failed protection-information check ({@link ViolationKind#of(TagMismatch.Kind)}). */
    public static Builder of(TagMismatch.Kind tag) {
        return of(ViolationKind.of(Objects.requireNonNull(tag, "tag")));
    }

    /** Builds a {@link Violation}; every field but the kind is optional. */
    public static final class Builder {
        private final ViolationKind kind;
        private long offset;
        private long length;
        private long lba;
        private String expected;
        private String actual;
        private long firstDiffOffset = -1;
        private String thread;
        private List<String> submitStack;
        private String detail;
        private List<TimelineEvent> timeline;

        private Builder(ViolationKind kind) {
            this.kind = kind;
        }

        /** The affected range and its first LBA. */
        public Builder at(long offset, long length, long lba) {
            this.offset = offset;
            this.length = length;
            this.lba = lba;
            return this;
        }

        /** What should have been seen and what was seen, in the same notation. */
        public Builder saw(String expected, String actual) {
            this.expected = expected;
            this.actual = actual;
            return this;
        }

        /** The absolute offset of the first differing byte (default -1, unknown). */
        public Builder firstDiff(long offset) {
            this.firstDiffOffset = offset;
            return this;
        }

        /** The submitting thread and, when captured, its stack. */
        public Builder by(String thread, List<String> submitStack) {
            this.thread = thread;
            this.submitStack = submitStack;
            return this;
        }

        /** The human-readable explanation. */
        public Builder detail(String text) {
            this.detail = text;
            return this;
        }

        /** The operation log around the violation. */
        public Builder timeline(List<TimelineEvent> events) {
            this.timeline = events;
            return this;
        }

        /** The violation. */
        public Violation build() {
            return new Violation(kind, offset, length, lba, expected, actual, firstDiffOffset, thread, submitStack,
                    detail, timeline);
        }
    }
}
