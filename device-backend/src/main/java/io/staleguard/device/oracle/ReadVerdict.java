package io.staleguard.device.oracle;

import io.staleguard.device.ViolationKind;
import java.util.List;

/**
 * What the oracle decided about one block of a read. {@link BlockHistory#classify} computes it
 * while it holds the block's lock and copies out everything a report needs; {@link ReadVerdictFormatter}
 * puts it in words after the lock is released, so that the lock is never held while text is
 * built.
 */
sealed interface ReadVerdict permits ReadVerdict.Admitted, ReadVerdict.Undecided, ReadVerdict.Inadmissible {

    /** The read returned a version it was allowed to return. */
    record Admitted(long version) implements ReadVerdict {
    }

    /** A version the read may have been allowed to return was forgotten: no verdict. */
    record Undecided() implements ReadVerdict {
    }

    /**
     * The read returned what no correct device could have returned.
     *
     * @param kind          STALE_READ, TORN_READ or CORRUPT_READ
     * @param block         the block, in units of the oracle's block size
     * @param expected      the versions the read was allowed to return, in the order a report names them
     * @param seen          what it returned instead
     * @param readStartTime the read's start instant, or -1 if unknown
     */
    record Inadmissible(ViolationKind kind, long block, List<Version> expected, Seen seen, long readStartTime)
            implements ReadVerdict {
    }

    /** A version of a block: a write, or the content the block had before any write. */
    sealed interface Version permits Write, Initial {
    }

    /**
     * One write as the block remembers it.
     *
     * @param inFlight   whether it had not completed when the verdict was taken
     * @param finishedAt the instant it completed or failed (meaningless while in flight)
     */
    record Write(long id, long submittedAt, boolean inFlight, boolean failed, long finishedAt, String thread)
            implements Version {
    }

    /** The initial content; {@code zeros} when it is known to be all zeros. */
    record Initial(boolean zeros) implements Version {
    }

    /** What a read that was not admitted returned. */
    sealed interface Seen permits Superseded, Forgotten, Sectors {
    }

    /**
     * The whole block equals a version superseded before the read started.
     *
     * @param supersededBy the write whose completion superseded it, or null if unknown
     */
    record Superseded(Version version, Write supersededBy) implements Seen {
    }

    /** The whole block equals an evicted version, of which only the content hash was kept. */
    record Forgotten(long id) implements Seen {
    }

    /**
     * The block's sectors, each attributed to the version it matches (an admissible one first).
     *
     * @param owners per 512-byte sector: a write's id, {@link #INITIAL} or {@link #UNKNOWN}
     */
    record Sectors(long[] owners) implements Seen {
        /** The sector matches the initial content. */
        static final long INITIAL = 0;
        /** The sector matches no known version. */
        static final long UNKNOWN = -1;

        /** The first sector that matches no known version, or the sector count if there is none. */
        int firstUnknown() {
            int s = 0;
            while (s < owners.length && owners[s] != UNKNOWN) {
                s++;
            }
            return s;
        }
    }
}
