package io.staleguard.maven.internal.model;

import io.staleguard.device.TimelineEvent;

/**
 * One timeline event as stored in report files ({@code docs/REPORT-FORMAT.md}).
 *
 * @param time    instant in the device clock's units
 * @param thread  the acting thread
 * @param type    a {@link TimelineEvent.Type} name
 * @param offset  first byte of the range
 * @param length  length of the range
 * @param writeId the write version created or seen (0 when none)
 * @param note    free text
 */
public record ReportedEvent(long time, String thread, String type, long offset, long length, long writeId,
                            String note) {

    public ReportedEvent {
        thread = thread == null ? "" : thread;
        type = type == null ? "NOTE" : type;
        note = note == null ? "" : note;
    }

    /** Converts a device-side event. */
    public static ReportedEvent of(TimelineEvent e) {
        return new ReportedEvent(e.time(), e.thread(), e.type().name(), e.offset(), e.length(), e.writeId(),
                e.note());
    }

    /** The event type, or {@link TimelineEvent.Type#NOTE} for a type this version does not know. */
    public TimelineEvent.Type typeOrNote() {
        try {
            return TimelineEvent.Type.valueOf(type);
        } catch (IllegalArgumentException e) {
            return TimelineEvent.Type.NOTE;
        }
    }
}
