package io.staleguard.device.sim;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.sim.internal.DeviceFaults;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Injects the errors real devices and Linux return into one {@link SimulatedDevice}
 * ({@link SimulatedDevice#faults()}), at a chosen place or by seeded rates. Each arming method returns the
 * armed {@link Fault}; each time a fault fires it is a {@link FiredFault} of {@link #fired()} and an
 * {@code IO_FAULT} event of the device's operation log, so a violation's timeline shows the fault that led to
 * it. Offsets are device offsets; the filesystem maps file ranges onto them.
 *
 * <pre>{@code
 * device.faults().failReads(8192, 4096);         // a latent sector error, until block 2 is rewritten
 * device.faults().failFsync(1);                  // the next fsync fails with EIO, the Linux way
 * device.faults().rates("lost-write=0.001");     // seeded, from the device's seed
 * }</pre>
 *
 * What catches a program that mishandles each fault: a lost write is a {@code STALE_READ} of the old version
 * on the next read; a misdirected write a {@code REF_TAG} where it lands (formats with a reference tag) and a
 * {@code STALE_READ} where it was addressed; a flipped bit a {@code GUARD_TAG} on read; a read error served as
 * zeros a {@code STALE_READ} by {@code checkServed}; a torn write the program moves on from a
 * {@code SHORT_TRANSFER} naming the error. Faults pause while the device is in a crash state
 * ({@link SimulatedDevice#powerCycle(MediaSnapshot, BlockOverlay)}): recovery runs on honest media.
 *
 * <p>Thread safe. With nothing armed and no rate the device's I/O path pays one volatile load per stage.
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class FaultInjector {

    static {
        DeviceFaults.grantAccess(o -> ((FaultInjector) o).faults);
    }

    private final DeviceFaults faults;
    private final int blockSize;
    private final long capacity;

    FaultInjector(DeviceFaults faults, int blockSize, long capacity) {
        this.faults = faults;
        this.blockSize = blockSize;
        this.capacity = capacity;
    }

    /**
     * The next {@code times} fsyncs of the device fail with {@code IOException("Input/output error")}: a
     * {@code force} of any channel of a file or of the device, a device {@code flush()}. Linux semantics: the
     * failed writeback marks the pages clean and drops their data from what writeback will ever write; the
     * error is reported once to each file open when it happened; a retried fsync then succeeds though the data
     * never reached the media (PostgreSQL's "fsyncgate": "PostgreSQL's handling of fsync() errors is unsafe
     * and risks data loss at least on XFS", Craig Ringer, pgsql-hackers, 2018-03-28).
     *
     * @throws IllegalArgumentException if {@code times < 1}
     */
    public Fault failFsync(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("failFsync: times must be >= 1, was " + times);
        }
        return faults.armFsync(times, "failFsync(" + times + ")");
    }

    /**
     * Latent sector errors: reads of the blocks of {@code [offset, +length)} fail with
     * {@code IOException("Input/output error")} until a write lands on them (dm-dust's bad blocks). A read
     * that starts before a bad block is cut short there, as Linux returns the bytes before a failed page. A
     * buffered read served from cached pages does not fail.
     *
     * @throws IllegalArgumentException if the range is not whole blocks within the capacity
     */
    public Fault failReads(long offset, long length) {
        checkBlocks("failReads", offset, length);
        return faults.armBadBlocks(offset, length, "failReads(" + offset + ", " + length + ")");
    }

    /**
     * The next {@code times} writes touching {@code [offset, +length)} fail with
     * {@code IOException("Input/output error")}; nothing of them moves.
     *
     * @throws IllegalArgumentException if the range is empty or outside the device, or {@code times < 1}
     */
    public Fault failWrites(long offset, long length, int times) {
        checkRange("failWrites", offset, length);
        checkTimes("failWrites", times);
        return faults.armWrites(FaultKind.WRITE_ERROR, offset, length, null, times, 0, range(offset, length),
                "failWrites(" + offset + ", " + length + ", " + times + ")");
    }

    /** As {@link #failWrites(long, long, int)}, for the next {@code times} writes {@code where} selects. */
    public Fault failWrites(OpMatcher where, int times) {
        checkWrites("failWrites", where);
        checkTimes("failWrites", times);
        return faults.armWrites(FaultKind.WRITE_ERROR, 0, Long.MAX_VALUE, where, times, 0, where.toString(),
                "failWrites(" + where + ", " + times + ")");
    }

    /**
     * Partial progress, then an error: the next write touching {@code [offset, +length)} moves only its first
     * {@code bytes} bytes and returns that count, as {@code write(2)} does; the continuation of the same caller
     * (channel) at the next byte fails with {@code IOException("Input/output error")}. A Java write loop sees
     * progress, then an exception. With {@code bytes} 0 the write itself fails.
     *
     * @throws IllegalArgumentException if the range is empty or outside the device, or {@code bytes < 0}
     */
    public Fault failWriteAfter(long offset, long length, int bytes) {
        checkRange("failWriteAfter", offset, length);
        checkBytes(bytes);
        return faults.armWrites(FaultKind.PARTIAL_WRITE, offset, length, null, 1, bytes, range(offset, length),
                "failWriteAfter(" + offset + ", " + length + ", " + bytes + ")");
    }

    /** As {@link #failWriteAfter(long, long, int)}, for the next write {@code where} selects. */
    public Fault failWriteAfter(OpMatcher where, int bytes) {
        checkWrites("failWriteAfter", where);
        checkBytes(bytes);
        return faults.armWrites(FaultKind.PARTIAL_WRITE, 0, Long.MAX_VALUE, where, 1, bytes, where.toString(),
                "failWriteAfter(" + where + ", " + bytes + ")");
    }

    /**
     * The device runs out of space once {@code bytes} more bytes were written: the write crossing the budget
     * is cut at it (whole blocks for direct I/O), every later write fails with
     * {@code IOException("No space left on device")}, until {@link #clear()}.
     *
     * @throws IllegalArgumentException if {@code bytes < 0}
     */
    public Fault noSpaceAfter(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("noSpaceAfter: bytes must be >= 0, was " + bytes);
        }
        return faults.armNoSpace(bytes, "noSpaceAfter(" + bytes + ")");
    }

    /**
     * A lost write: the next write touching {@code [offset, +length)} (or the next writeback of a page cache
     * there) is acknowledged and never lands; the media and its protection information keep the old version,
     * which the next read serves (a {@code STALE_READ}).
     *
     * @throws IllegalArgumentException if the range is empty or outside the device
     */
    public Fault loseWrite(long offset, long length) {
        checkRange("loseWrite", offset, length);
        return faults.armWrites(FaultKind.LOST_WRITE, offset, length, null, 1, 0, range(offset, length),
                "loseWrite(" + offset + ", " + length + ")");
    }

    /** As {@link #loseWrite(long, long)}, for the next write {@code where} selects. */
    public Fault loseWrite(OpMatcher where) {
        checkWrites("loseWrite", where);
        return faults.armWrites(FaultKind.LOST_WRITE, 0, Long.MAX_VALUE, where, 1, 0, where.toString(),
                "loseWrite(" + where + ")");
    }

    /**
     * A misdirected write: the next block-aligned write addressed at {@code addressedOffset} (or a page cache's
     * writeback of it) lands at {@code landingOffset}, with the protection information generated for its address. The reference tag
     * catches it where it lands ({@code REF_TAG} on Type 1 and Type 2 formats); the oracle sees the addressed
     * blocks keep their old content ({@code STALE_READ}).
     *
     * @throws IllegalArgumentException if an offset is not block aligned or outside the device
     */
    public Fault misdirectWrite(long addressedOffset, long landingOffset) {
        checkBlocks("misdirectWrite", addressedOffset, blockSize);
        checkBlocks("misdirectWrite", landingOffset, blockSize);
        return faults.armMisdirect(addressedOffset, landingOffset,
                "misdirectWrite(" + addressedOffset + ", " + landingOffset + ")");
    }

    /**
     * Bit rot: bit {@code bit} (0 = least significant) of the media byte at {@code offset} reads flipped until
     * the block is rewritten; the protection information stays as written, so a read finds a
     * {@code GUARD_TAG} mismatch. The media's own bytes stay pristine ({@link #clear()} restores them).
     *
     * @throws IllegalArgumentException if {@code offset} is outside the device or {@code bit} not in 0..7
     */
    public Fault flipBit(long offset, int bit) {
        if (offset < 0 || offset >= capacity) {
            throw new IllegalArgumentException("flipBit: offset " + offset + " is outside the device's " + capacity
                    + " bytes");
        }
        if (bit < 0 || bit > 7) {
            throw new IllegalArgumentException("flipBit: bit must be in 0..7, was " + bit);
        }
        return faults.armBitFlip(offset, bit, "flipBit(" + offset + ", " + bit + ")");
    }

    /**
     * Replaces the seeded fault rates with {@code spec} (the {@link FaultSpec} syntax; {@code "none"} removes
     * them). Whether a rate fires is decided from the device's seed and the operation's sequence number.
     *
     * @throws IllegalArgumentException naming the bad token of {@code spec}
     */
    public FaultInjector rates(String spec) {
        return rates(FaultSpec.parse(spec));
    }

    /** As {@link #rates(String)}, for a parsed spec. */
    public FaultInjector rates(FaultSpec spec) {
        faults.rates(Objects.requireNonNull(spec, "spec"));
        return this;
    }

    /** The seeded rates in force ({@link FaultSpec#NONE} for none). */
    public FaultSpec rates() {
        return faults.rates();
    }

    /** The faults armed now, spec items included. */
    public List<Fault> armed() {
        return faults.armed();
    }

    /** Every fault that fired so far, in order. */
    public List<FiredFault> fired() {
        return faults.fired();
    }

    /**
     * Disarms every fault and rate and heals the media (bad blocks and flipped bits go); the fired list is
     * kept.
     */
    public void clear() {
        faults.clear();
    }

    /** Whether a fault may fire now. */
    public boolean isActive() {
        return faults.active();
    }

    @Override
    public String toString() {
        return faults.toString();
    }

    private void checkBlocks(String what, long offset, long length) {
        if (offset < 0 || offset % blockSize != 0) {
            throw new IllegalArgumentException(what + ": offset " + offset + " is not a multiple of the block size "
                    + blockSize);
        }
        if (length <= 0 || length % blockSize != 0) {
            throw new IllegalArgumentException(what + ": length " + length + " is not a positive multiple of the "
                    + "block size " + blockSize);
        }
        if (offset > capacity - length) {
            throw new IllegalArgumentException(what + ": [" + offset + ",+" + length + ") is outside the device's "
                    + capacity + " bytes");
        }
    }

    private void checkRange(String what, long offset, long length) {
        if (offset < 0 || length <= 0 || offset > capacity - length) {
            throw new IllegalArgumentException(what + ": [" + offset + ",+" + length + ") is not a non-empty range "
                    + "of the device's " + capacity + " bytes");
        }
    }

    private static void checkTimes(String what, int times) {
        if (times < 1) {
            throw new IllegalArgumentException(what + ": times must be >= 1, was " + times);
        }
    }

    private static void checkBytes(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("failWriteAfter: bytes must be >= 0, was " + bytes);
        }
    }

    private static void checkWrites(String what, OpMatcher where) {
        Objects.requireNonNull(where, "where");
        OpMatcher probe = where;
        if (probe.toString().startsWith("reads")) {
            throw new IllegalArgumentException(what + ": the matcher selects reads, not writes: " + where);
        }
    }

    private static String range(long offset, long length) {
        return "[" + offset + ",+" + length + ")";
    }
}
