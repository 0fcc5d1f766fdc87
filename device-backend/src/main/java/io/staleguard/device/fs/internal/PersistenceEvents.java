package io.staleguard.device.fs.internal;

import io.staleguard.device.IoMode;
import java.nio.ByteBuffer;

/**
 * What the simulated filesystem tells a listener about every operation that can change what survives a power loss:
 * entry operations with their parent inodes and names, writes with their bytes and device runs, truncates, syncs and
 * closes. The crash explorer's persistence log is the one listener; {@link #NONE} is the default, so that a volume
 * that is not explored pays one volatile read per file write and nothing else.
 *
 * <p>Calls come on the thread that did the operation, after it took effect. Namespace calls are made under the
 * volume's lock; {@link #wrote} is not (file data moves without it), so implementations serialize themselves.
 * Paths are absolute and canonical ({@code /test/wal}), a directory's without a trailing slash.
 */
public interface PersistenceEvents {

    /** The listener that ignores everything. */
    PersistenceEvents NONE = new PersistenceEvents() {
        @Override
        public String toString() {
            return "no persistence listener";
        }
    };

    /** {@code name} in directory {@code parentIno} now names the new inode {@code ino}. */
    default void created(long parentIno, String name, long ino, boolean dir, String path) {
    }

    /** {@code name} in directory {@code parentIno}, which named {@code ino}, was removed (unlink or rmdir). */
    default void removed(long parentIno, String name, long ino, boolean dir, String path) {
    }

    /**
     * {@code ino} moved from {@code fromName} in {@code fromParent} to {@code toName} in {@code toParent}, in one
     * step; {@code replacedIno} is the inode the target named before (0: none), which lost that name in the same
     * step (no separate {@link #removed} call is made for it).
     */
    default void renamed(long fromParent, String fromName, long toParent, String toName, long ino, boolean dir,
                         long replacedIno, String fromPath, String toPath) {
    }

    /** The file was cut from {@code sizeBefore} to {@code newSize} bytes. */
    default void truncated(long ino, String path, long sizeBefore, long newSize) {
    }

    /**
     * A write returned a positive count: {@code landed} holds exactly the bytes that count covers (a view of the
     * caller's buffer: copy it before returning, do not move the caller's position). An asynchronous write is told
     * at submission, with all the bytes it submits, because that is when the device takes its PI from the buffer.
     *
     * @param deviceRuns {@code (deviceOffset, length)} pairs, in file order, that the bytes went to
     * @param allocating whether the write mapped fresh blocks into the file
     */
    default void wrote(long ino, String path, long fileOffset, ByteBuffer landed, long[] deviceRuns, boolean allocating,
                       long sizeBefore, long sizeAfter, IoMode mode, String thread) {
    }

    /**
     * A {@code force} of a file ({@code metadata}: {@code force(true)}) or of a directory returned; {@code failed}
     * when the writeback reported an error.
     */
    default void synced(long ino, String path, boolean directory, boolean metadata, boolean failed, String thread) {
    }

    /**
     * A write of a {@code SYNC} ({@code metadata}) or {@code DSYNC} channel returned after syncing what it wrote: the
     * sync belongs to the write {@link #wrote} last told of for {@code ino} on {@code thread}, and makes that write
     * durable (with {@code metadata}, also the file's metadata), not the file's other writes. Listeners that do not
     * tell the two apart get a {@link #synced} call.
     */
    default void syncedWrite(long ino, String path, boolean metadata, boolean failed, String thread) {
        synced(ino, path, false, metadata, failed, thread);
    }

    /** The last open channel of regular file {@code ino} was closed. */
    default void closed(long ino, String path) {
    }

    /** The file's times or permissions were set. */
    default void attributes(long ino, String path) {
    }

    /**
     * The allocator ran out of free blocks while freed ones were held back for crash exploration, and gave them back:
     * from now on a freed block may hold another file's data.
     */
    default void quarantineReleased() {
    }
}
