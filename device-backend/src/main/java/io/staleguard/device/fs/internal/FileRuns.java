package io.staleguard.device.fs.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A byte range of a file as the runs of device bytes that hold it now, through the file's block map: how a fault
 * aimed at a file's bytes becomes faults on the device's blocks.
 */
public final class FileRuns {

    private FileRuns() {
    }

    /**
     * {@code (deviceOffset, length)} pairs, in file order, for file bytes {@code [offset, offset + length)}.
     *
     * @param what the caller's name, for messages ({@code "failReads"})
     * @throws IllegalArgumentException naming the value: a range that is empty, negative or not whole blocks, a
     *                                  file of another filesystem, a directory, or a hole in the range
     * @throws IOException              if the file does not exist ({@link java.nio.file.NoSuchFileException})
     */
    public static List<long[]> of(Volume volume, Path file, long offset, long length, String what) throws IOException {
        FsPath p = FsPath.of(file);
        if (p.volume() != volume) {
            throw new IllegalArgumentException(what + ": " + file + " is on another simulated filesystem");
        }
        int bs = volume.device().logicalBlockSize();
        if (offset < 0 || length <= 0 || offset % bs != 0 || length % bs != 0) {
            throw new IllegalArgumentException(what + ": file range [" + offset + ", +" + length + ") of " + file
                    + " is not whole blocks of " + bs + " bytes");
        }
        Inode f = volume.inodeOf(p);
        if (f.isDirectory()) {
            throw new IllegalArgumentException(what + ": " + file + " is a directory");
        }
        ExtentList map = f.extents();
        List<long[]> runs = new ArrayList<>();
        long at = offset;
        long end = offset + length;
        while (at < end) {
            int i = map.find(at / bs);
            if (i < 0) {
                throw new IllegalArgumentException(what + ": " + file + " has no block at file offset " + at
                        + " (a hole): write the range first");
            }
            long n = Math.min(end - at, map.bytesFrom(at, bs));
            runs.add(new long[] {map.deviceOffset(i, at, bs), n});
            at += n;
        }
        return runs;
    }
}
