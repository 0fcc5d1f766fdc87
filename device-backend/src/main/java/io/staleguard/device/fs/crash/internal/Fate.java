package io.staleguard.device.fs.crash.internal;

/**
 * What became of one record of the log in one crash state.
 *
 * @param kind       kept, dropped, torn, lost, or durable
 * @param keptUnits  for a torn write, how many of its leading atomic write units persisted
 */
public record Fate(Kind kind, int keptUnits) {

    /** The fates. */
    public enum Kind {
        /** Made durable before the crash point by the model's rules. */
        DURABLE,
        /** Volatile, and persisted in this state. */
        KEPT,
        /** Volatile, and did not persist in this state. */
        DROPPED,
        /** A volatile write of which only leading units persisted. */
        TORN,
        /** A write whose force failed: never durable, also not by a later force. */
        LOST
    }

    public static final Fate DURABLE = new Fate(Kind.DURABLE, 0);
    public static final Fate KEPT = new Fate(Kind.KEPT, 0);
    public static final Fate DROPPED = new Fate(Kind.DROPPED, 0);
    public static final Fate LOST = new Fate(Kind.LOST, 0);

    /** A write of which the first {@code units} units persisted. */
    public static Fate torn(int units) {
        return new Fate(Kind.TORN, units);
    }

    /** Whether the record's effect is in the state, wholly or (torn) partly. */
    public boolean applied() {
        return kind == Kind.DURABLE || kind == Kind.KEPT || kind == Kind.TORN;
    }
}
