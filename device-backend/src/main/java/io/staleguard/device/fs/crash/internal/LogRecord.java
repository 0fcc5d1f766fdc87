package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.IoMode;
import java.util.Objects;

/**
 * One record of the persistence log of a recorded run: what the workload did to the simulated filesystem, in the
 * order the volume serialized it. Sequence numbers start at 1 and are the record's position in the log plus one;
 * times are the device clock's.
 */
public sealed interface LogRecord {

    /** The record's sequence number, from 1. */
    long seq();

    /** The device clock when the operation took effect. */
    long time();

    /** The operation that changes a directory. */
    enum EntryOp {
        CREATE("create"), MKDIR("mkdir"), UNLINK("unlink"), RMDIR("rmdir"), RENAME("rename");

        private final String words;

        EntryOp(String words) {
            this.words = words;
        }

        /** The operation as explanations name it. */
        public String words() {
            return words;
        }

        /** Whether the operation adds a name (the others remove one; a rename does both). */
        public boolean adds() {
            return this == CREATE || this == MKDIR;
        }
    }

    /**
     * A write to a file that returned a positive count: {@code len} bytes at {@code fileOff}, kept in the log's
     * bytes at {@code arenaOff}.
     *
     * @param deviceRuns {@code (deviceOffset, length)} pairs the bytes went to; empty when not known
     * @param allocating whether the write allocated fresh blocks
     */
    record WriteRec(long seq, long time, long ino, String path, long fileOff, int len, long arenaOff,
                    long[] deviceRuns, boolean allocating, long sizeBefore, long sizeAfter, IoMode mode,
                    String thread) implements LogRecord {
        public WriteRec {
            Objects.requireNonNull(path, "path");
            if (len <= 0 || fileOff < 0) {
                throw new IllegalArgumentException("write of " + len + " bytes at " + fileOff);
            }
        }

        /** The first file offset after the write. */
        public long end() {
            return fileOff + len;
        }

        /** Whether the write changed the file's size. */
        public boolean grows() {
            return sizeAfter != sizeBefore;
        }
    }

    /** A truncate of a file from {@code sizeBefore} to {@code newSize}. */
    record TruncateRec(long seq, long time, long ino, String path, long sizeBefore, long newSize, String thread)
            implements LogRecord {
    }

    /**
     * A change of a directory. For a rename, {@code parentIno/name/path} are the source and {@code toParentIno,
     * toName, toPath} the target, {@code replacedIno} the inode the target named before (0: none); for the other
     * operations the {@code to} fields are 0 or null.
     */
    record EntryRec(long seq, long time, EntryOp op, long parentIno, String name, long ino, boolean dir,
                    long toParentIno, String toName, long replacedIno, String path, String toPath, String thread)
            implements LogRecord {
        public EntryRec {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(path, "path");
            if (op == EntryOp.RENAME) {
                Objects.requireNonNull(toName, "toName");
                Objects.requireNonNull(toPath, "toPath");
            }
        }

        /** The directory whose fsync makes this operation durable under POSIX: a rename's target directory. */
        public long durableBy() {
            return op == EntryOp.RENAME ? toParentIno : parentIno;
        }

        /** The path the operation leaves the inode at: a rename's target, else the path. */
        public String resultPath() {
            return op == EntryOp.RENAME ? toPath : path;
        }
    }

    /**
     * A {@code force} of a file ({@code metadata}: {@code force(true)}) or an fsync of a directory; {@code failed}
     * when the device reported a writeback error (nothing became durable). {@code ofWrite} is 0 for a call of the
     * program's, else the sequence number of the write of a {@code SYNC} ({@code metadata}) or {@code DSYNC}
     * channel this sync belongs to: such a sync makes that write durable, and no other write of the file (Linux
     * syncs the written range only, {@code vfs_fsync_range} from {@code generic_write_sync}).
     */
    record SyncRec(long seq, long time, long ino, String path, boolean isDir, boolean metadata, boolean failed,
                   String thread, long ofWrite) implements LogRecord {

        /** A sync the program called: {@code force} or a directory fsync. */
        public SyncRec(long seq, long time, long ino, String path, boolean isDir, boolean metadata, boolean failed,
                       String thread) {
            this(seq, time, ino, path, isDir, metadata, failed, thread, 0);
        }

        /** Whether this is the sync of one write of a {@code SYNC}/{@code DSYNC} channel, not a call of its own. */
        public boolean ofOneWrite() {
            return ofWrite != 0;
        }
    }

    /** The close of a file's last channel. */
    record CloseRec(long seq, long time, long ino, String path, String thread) implements LogRecord {
    }

    /** The program told its client that {@code key} is done. */
    record AckRec(long seq, long time, String key, String thread) implements LogRecord {
    }

    /**
     * The program claimed that {@code path} (inode {@code ino}) is durable now: the whole file, or
     * {@code [off, off + len)} of it.
     */
    record ClaimRec(long seq, long time, String path, long ino, long off, long len, boolean wholeFile,
                    String thread) implements LogRecord {
    }

    /** A note in the log (for example "quarantine released"). */
    record MarkRec(long seq, long time, String text) implements LogRecord {
    }
}
