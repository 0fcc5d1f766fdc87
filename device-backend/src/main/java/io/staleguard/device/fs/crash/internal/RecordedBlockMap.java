package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.crash.internal.LogRecord.WriteRec;
import io.staleguard.device.fs.internal.ExtentList;
import io.staleguard.device.fs.internal.NamespaceImage;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Where each file block of a recorded run lives on the device: the base's block maps, then every device run a
 * recorded write went to. While the run was recorded, freed blocks were quarantined, so no device block served two
 * files: a crash state may put any of its file blocks at any home the run gave that block, without colliding with
 * another file of the same state.
 */
final class RecordedBlockMap {

    private final NamespaceImage base;
    private final int blockSize;
    private final long deviceBlocks;
    private boolean reused;
    /** Blocks the run itself placed: inode, then file block to device block (the last write's home wins). */
    private final Map<Long, Map<Long, Long>> placed = new HashMap<>();

    private RecordedBlockMap(NamespaceImage base, int blockSize, long deviceBlocks) {
        this.base = base;
        this.blockSize = blockSize;
        this.deviceBlocks = deviceBlocks;
    }

    /**
     * The homes of {@code log}'s writes over {@code base}'s block maps, in blocks of {@code blockSize} bytes, on a
     * device of {@code deviceBlocks} blocks.
     */
    static RecordedBlockMap of(NamespaceImage base, CrashLog log, int blockSize, long deviceBlocks) {
        RecordedBlockMap m = new RecordedBlockMap(base, blockSize, deviceBlocks);
        for (LogRecord r : log.records()) {
            if (r instanceof WriteRec w) {
                m.place(w);
            } else if (r instanceof LogRecord.MarkRec mark && mark.text().equals(PersistenceLog.QUARANTINE_RELEASED)) {
                m.reused = true;
            }
        }
        return m;
    }

    private void place(WriteRec w) {
        long[] runs = w.deviceRuns();
        long file = w.fileOff();
        Map<Long, Long> blocks = placed.computeIfAbsent(w.ino(), k -> new HashMap<>());
        for (int i = 0; i + 1 < runs.length; i += 2) {
            long device = runs[i];
            long len = runs[i + 1];
            for (long b = file / blockSize; b * blockSize < file + len; b++) {
                blocks.put(b, device / blockSize + (b - file / blockSize));
            }
            file += len;
        }
    }

    /** The device block that file block {@code block} of inode {@code ino} may live on, or -1 if it has none. */
    long home(long ino, long block) {
        NamespaceImage.InodeImage b = base.inode(ino);
        if (b != null && !b.dir()) {
            long d = b.extents().deviceBlock(block);
            if (d >= 0) {
                return d;
            }
        }
        Map<Long, Long> blocks = placed.get(ino);
        Long d = blocks == null ? null : blocks.get(block);
        return d == null ? -1 : d;
    }

    /** Whether the run may have reused a freed block for another file (its quarantine was released). */
    boolean reusedBlocks() {
        return reused;
    }

    /**
     * A device block that no file of the state takes or wants ({@code taken}, {@code wanted}), from the end of the
     * device down: where a state puts a file block whose home another file of the same state holds. That happens
     * only after the quarantine of freed blocks was released (the device was full), when the run reused a block that
     * a state keeps in an earlier file. The overlay holds the block's bytes, so whatever the media held there does
     * not matter.
     *
     * @throws IllegalStateException when the device has no such block left (the state needs more blocks than it has)
     */
    long spare(Set<Long> taken, Set<Long> wanted) {
        for (long b = deviceBlocks - 1; b >= 0; b--) {
            if (!taken.contains(b) && !wanted.contains(b)) {
                return b;
            }
        }
        throw new IllegalStateException("crash image: two files of the state share a device block the run reused "
                + "after its quarantine was released, and none of the device's " + deviceBlocks + " blocks is free "
                + "in the state to hold one of them");
    }

    /** The base's block map of {@code ino}, or null when the base has no such file. */
    ExtentList baseExtents(long ino) {
        NamespaceImage.InodeImage b = base.inode(ino);
        return b == null || b.dir() ? null : b.extents();
    }
}
