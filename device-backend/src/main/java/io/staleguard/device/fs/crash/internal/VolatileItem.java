package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.crash.internal.LogRecord.EntryRec;
import io.staleguard.device.fs.crash.internal.LogRecord.WriteRec;

/**
 * Something a crash may or may not have persisted at one crash point: each item has a number of options, and a
 * crash state picks one option of every item of its point. Option 0 is always the minimal one (nothing of the
 * item persisted), the last option of a data item short of tearing is "kept".
 */
public sealed interface VolatileItem {

    /** How many options the item has, at least 2. */
    int options();

    /**
     * A write not yet forced: option 0 dropped, 1 kept, {@code 2 + k} torn, keeping the first
     * {@code tornPrefixes[k]} of its {@code units} atomic write units.
     */
    record DataItem(WriteRec write, int units, int[] tornPrefixes) implements VolatileItem {
        /** Option: the write did not reach the media. */
        public static final int DROPPED = 0;
        /** Option: the whole write reached the media. */
        public static final int KEPT = 1;

        /** The item of {@code w} at atomic write unit {@code unit}: 2 + the torn variants of §4.6. */
        public static DataItem of(WriteRec w, int unit) {
            long first = w.fileOff() / unit;
            long last = (w.end() - 1) / unit;
            int n = (int) (last - first + 1);
            int[] torn;
            if (n <= 1) {
                torn = new int[0];
            } else if (n <= 8) {
                torn = new int[n - 1];
                for (int m = 1; m < n; m++) {
                    torn[m - 1] = m;
                }
            } else {
                torn = n / 2 == 1 || n / 2 == n - 1 ? new int[] {1, n - 1} : new int[] {1, n / 2, n - 1};
            }
            return new DataItem(w, n, torn);
        }

        @Override
        public int options() {
            return 2 + tornPrefixes.length;
        }
    }

    /**
     * A file's size: option {@code j} is {@code sizes[j]}, {@code sizes[0]} the durable size; option {@code j > 0}
     * applies the size operations {@code ops[0..j-1]} (sequence numbers), the volatile ones in log order;
     * {@code truncate[k]} says whether {@code ops[k]} is a truncate (whose fate the size decides).
     */
    record SizeItem(long ino, long[] sizes, long[] ops, boolean[] truncate) implements VolatileItem {
        @Override
        public int options() {
            return sizes.length;
        }
    }

    /** A directory change not yet made durable: option 0 dropped, 1 kept. A rename is one item. */
    record EntryItem(EntryRec entry) implements VolatileItem {
        @Override
        public int options() {
            return 2;
        }
    }

    /**
     * The journaled metadata after the last commit: option {@code k} persists the first {@code k} of {@code ops}
     * (sequence numbers in log order), as a later periodic commit would.
     */
    record MetadataPrefixItem(long[] ops) implements VolatileItem {
        @Override
        public int options() {
            return ops.length + 1;
        }
    }
}
