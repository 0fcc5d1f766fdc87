package io.staleguard.device.fs;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.fs.internal.FileRuns;
import io.staleguard.device.fs.internal.Volume;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.sim.Fault;
import io.staleguard.device.sim.FaultInjector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Faults aimed at files of a {@link SimulatedFileSystem} ({@link SimulatedFileSystem#faults()}): each one is the
 * device's fault ({@link FaultInjector}) on the blocks that hold the file's bytes now, or on the device calls made
 * for the file. A range in a file is resolved through the file's block map when the fault is armed, so it must be
 * whole blocks the file has (write them first); a fault on "the next write to the file" follows the file whatever
 * blocks it gets, but acts on device calls only: on a page-cache path a buffered write reaches the device at
 * writeback, so aim at a range for those.
 *
 * <pre>{@code
 * fs.faults().loseWrite(fs.getPath("/db/wal"), 0, 4096);   // the next write of that block never lands
 * fs.faults().failFsync(1);                                // the next fsync fails, the Linux way
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class FileFaults {

    private final SimulatedFileSystem fs;
    private final Volume volume;

    FileFaults(SimulatedFileSystem fs, Volume volume) {
        this.fs = fs;
        this.volume = volume;
    }

    /** The device's injector, for faults aimed at device offsets. */
    public FaultInjector device() {
        return fs.device().faults();
    }

    /**
     * The next {@code times} flushes or forces of the device fail with {@code IOException("Input/output error")},
     * with Linux's semantics (docs/FILESYSTEM.md, "Faults on files"): {@link FaultInjector#failFsync(int)}.
     */
    public Fault failFsync(int times) {
        return device().failFsync(times);
    }

    /**
     * Latent sector errors under file bytes {@code [offset, offset + length)}: reads of those blocks fail with EIO
     * until they are rewritten. One fault per run of device blocks the range lies on.
     *
     * @throws IllegalArgumentException naming the value: a range that is not whole blocks, or a hole in it
     * @throws IOException              if the file does not exist
     */
    public List<Fault> failReads(Path file, long offset, long length) throws IOException {
        List<Fault> out = new ArrayList<>();
        for (long[] run : runs(file, offset, length, "failReads")) {
            out.add(device().failReads(run[0], run[1]));
        }
        return out;
    }

    /**
     * The next write that reaches the device on file bytes {@code [offset, offset + length)}, whether a direct write
     * or the writeback of the file's pages, is acknowledged and never stored. One fault per run of device blocks.
     *
     * @throws IllegalArgumentException naming the value: a range that is not whole blocks, or a hole in it
     * @throws IOException              if the file does not exist
     */
    public List<Fault> loseWrite(Path file, long offset, long length) throws IOException {
        List<Fault> out = new ArrayList<>();
        for (long[] run : runs(file, offset, length, "loseWrite")) {
            out.add(device().loseWrite(run[0], run[1]));
        }
        return out;
    }

    /** The next device write call made for {@code file} is acknowledged and never stored. */
    public Fault loseWrite(Path file) {
        return device().loseWrite(writesOn(file));
    }

    /** The next {@code times} device write calls made for {@code file} fail with EIO; nothing of them moves. */
    public Fault failWrites(Path file, int times) {
        return device().failWrites(writesOn(file), times);
    }

    /**
     * The next device write call made for {@code file} moves its first {@code bytes} bytes, and its continuation
     * fails with EIO ({@link FaultInjector#failWriteAfter(OpMatcher, int)}).
     */
    public Fault failWriteAfter(Path file, int bytes) {
        return device().failWriteAfter(writesOn(file), bytes);
    }

    /**
     * Bit rot: bit {@code bit} of file byte {@code offset} reads flipped from the media until the block is
     * rewritten; its protection information is untouched, so a read finds a {@code GUARD_TAG}.
     *
     * @throws IllegalArgumentException naming the value: an offset in a hole, or a bit outside 0..7
     * @throws IOException              if the file does not exist
     */
    public Fault flipBit(Path file, long offset, int bit) throws IOException {
        int bs = fs.device().logicalBlockSize();
        if (offset < 0) {
            throw new IllegalArgumentException("flipBit: file offset " + offset + " is negative");
        }
        long block = offset / bs * bs;
        long[] run = runs(file, block, bs, "flipBit").get(0);
        return device().flipBit(run[0] + offset - block, bit);
    }

    private List<long[]> runs(Path file, long offset, long length, String what) throws IOException {
        Objects.requireNonNull(file, "file");
        return FileRuns.of(volume, file, offset, length, what);
    }

    private static OpMatcher writesOn(Path file) {
        return OpMatcher.writes().onFile(Objects.requireNonNull(file, "file"));
    }

    @Override
    public String toString() {
        return "faults of " + fs;
    }
}
