package io.staleguard.device.fs.crash.internal;

/**
 * A crash point: records with {@code seq < point} happened, nothing after. {@code at} is the record the point is
 * described by (the sync it falls before, the record it falls after), null at the end of an empty log.
 */
public record CrashPoint(int point, Kind kind, LogRecord at) {

    /** Why the point was chosen, in the order points are kept when there are more than the budget. */
    public enum Kind {
        /** Right after an acknowledgement or a claim. */
        AFTER_ACK,
        /** Right before a force, a directory fsync or a close. */
        BEFORE_SYNC,
        /** Right after a force, a directory fsync or a close. */
        AFTER_SYNC,
        /** At the end of the workload. */
        END,
        /** Right after a write, drawn by seed. */
        AFTER_WRITE
    }
}
