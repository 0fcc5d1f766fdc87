package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.crash.internal.LogRecord.WriteRec;
import io.staleguard.device.fs.internal.ExtentList;
import io.staleguard.device.fs.internal.NamespaceImage;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each file block of a recorded run lives on the device: the base's block maps, then every device run a
 * recorded write went to. While the run was recorded, freed blocks were quarantined, so no device block served two
 * files: a crash state may put any of its file blocks at any home the run gave that block, without colliding with
 * another file of the same state.
 */
final class RecordedBlockMap {

    private final NamespaceImage base;
    private final int blockSize;
    /** Blocks the run itself placed: inode, then file block to device block (the last write's home wins). */
    private final Map<Long, Map<Long, Long>> placed = new HashMap<>();

    private RecordedBlockMap(NamespaceImage base, int blockSize) {
        this.base = base;
        this.blockSize = blockSize;
    }

    /** The homes of {@code log}'s writes over {@code base}'s block maps, in blocks of {@code blockSize} bytes. */
    static RecordedBlockMap of(NamespaceImage base, CrashLog log, int blockSize) {
        RecordedBlockMap m = new RecordedBlockMap(base, blockSize);
        for (LogRecord r : log.records()) {
            if (r instanceof WriteRec w) {
                m.place(w);
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

    /** The base's block map of {@code ino}, or null when the base has no such file. */
    ExtentList baseExtents(long ino) {
        NamespaceImage.InodeImage b = base.inode(ino);
        return b == null || b.dir() ? null : b.extents();
    }
}
