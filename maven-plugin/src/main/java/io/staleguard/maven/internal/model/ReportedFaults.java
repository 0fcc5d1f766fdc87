package io.staleguard.maven.internal.model;

import java.util.List;

/**
 * A simulated device's {@code faults} member of a per-test report (format 1.2, docs/REPORT-FORMAT.md).
 *
 * @param spec  the canonical fault spec in effect ({@code none} when no rate was set)
 * @param fired exact number of faults fired during the test
 * @param first the first fired faults, oldest first
 */
public record ReportedFaults(String spec, long fired, List<Fired> first) {

    public ReportedFaults {
        spec = spec == null || spec.isBlank() ? "none" : spec;
        first = first == null ? List.of() : List.copyOf(first);
    }

    /** Whether the device had a spec or a fault fired: worth showing. */
    public boolean any() {
        return !"none".equals(spec) || fired > 0;
    }

    /**
     * One fault that fired.
     *
     * @param kind   {@code READ_ERROR}, {@code FSYNC_ERROR}, …
     * @param origin the call or spec item that armed it
     * @param time   the device clock, as on the timeline
     * @param offset first device byte it hit
     * @param length bytes it hit
     * @param note   what happened, in words
     */
    public record Fired(String kind, String origin, long time, long offset, long length, String note) {

        public Fired {
            kind = kind == null ? "" : kind;
            origin = origin == null ? "" : origin;
            note = note == null ? "" : note;
        }

        /** "{@code READ_ERROR at [8192,+4096) (failReads(8192, 4096)): read-error: block 2 is bad}". */
        @Override
        public String toString() {
            return kind + " at [" + offset + ",+" + length + ")" + (origin.isEmpty() ? "" : " (" + origin + ")")
                    + (note.isEmpty() ? "" : ": " + note);
        }
    }
}
