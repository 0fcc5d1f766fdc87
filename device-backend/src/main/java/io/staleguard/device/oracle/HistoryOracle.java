package io.staleguard.device.oracle;

import io.staleguard.device.Violation;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Watches every read of one device against the history of its writes and flags reads that return
 * what no correct device could have returned at that moment.
 *
 * <h2>What the backend tells it</h2>
 * For a write: {@link #writeSubmitted} (before the data is taken from the caller's buffer), then
 * {@link #writeLanded} for the bytes as they land on the media (whole blocks, possibly in several
 * pieces; call it no later than the moment the bytes become readable, with exactly the bytes that
 * land), then {@link #writeCompleted} just before completion is signalled to the caller, or
 * {@link #writeAbandoned} if the I/O failed. For a read: {@link #readStarted} before any byte is
 * taken from the media, {@link #readCompleted} with the bytes served before they are handed to the
 * caller. Data served above the device (a user-level page cache) is checked with
 * {@link #checkServed}.
 *
 * <h2>Order and time</h2>
 * Operations are ordered by the order in which these methods are called (an internal sequence),
 * not by the clock, so ties in a coarse or virtual clock never matter: a write whose
 * {@code writeCompleted} call returned before a read's {@code readStarted} call began completed
 * before that read started. The clock only supplies the instants shown in reports and timelines
 * (virtual time on the deterministic scheduler; the oracle's own sequence with the convenience
 * constructor).
 *
 * <h2>The rule, per block of the logical block size</h2>
 * A read started at S and checked at E may return:
 * <ol>
 *   <li>any write completed before S that is not superseded before S. A write W2 supersedes W1 if
 *       W2 was submitted after W1 completed; so with overlapping writes all of them stay
 *       admissible;</li>
 *   <li>any write that overlapped the read in time (submitted before E, not completed before S),
 *       including writes still in flight;</li>
 *   <li>the initial content ({@link InitialContent}) if no write to the block completed before
 *       S;</li>
 *   <li>a mix, sector by sector (512 bytes), of admissible versions (they coexisted during the
 *       read).</li>
 * </ol>
 * Anything else is a violation:
 * {@link io.staleguard.device.ViolationKind#STALE_READ STALE_READ} when the whole block equals a
 * version superseded before S (or the initial content after a write completed);
 * {@link io.staleguard.device.ViolationKind#TORN_READ TORN_READ} when its sectors come from
 * several versions, at least one of them not admissible; and
 * {@link io.staleguard.device.ViolationKind#CORRUPT_READ CORRUPT_READ} when some sector matches
 * no known version. Only whole blocks of the served range are classified: partial blocks at
 * either edge of an unaligned (buffered) read are skipped.
 *
 * <h2>Fingerprints and memory</h2>
 * Each version of a block is fingerprinted per 512-byte sector with CRC-32C (hardware
 * accelerated; the block's position is implied by where it is stored). Per-block state is
 * allocated lazily on first touch. Per block the oracle keeps the versions in flight, the
 * admissible completed versions and the last few superseded ones; memory is O(blocks touched +
 * writes in flight) and does not grow with the number of operations. A read that returns a
 * version superseded so long ago that it has been forgotten is reported as corrupt; one that may
 * have needed a version forgotten while it ran is not reported (counted in
 * {@link #undecided()}).
 *
 * <p>Thread safe; per-block state is locked per block, never globally.
 */
public final class HistoryOracle {

    private final int blockSize;
    private final long capacity;
    private final ViolationRecorder sink;
    private final OperationLog log;
    private final LongSupplier clock;
    private final InitialContent initial;
    private final AtomicLong sequence = new AtomicLong();

    /**
     * An oracle whose reported instants are its own sequence numbers (a logical tick per
     * operation), with zeros as initial content.
     */
    public HistoryOracle(int blockSize, long capacity, ViolationRecorder sink, OperationLog log) {
        this(blockSize, capacity, sink, log, null, InitialContent.zeros());
    }

    /** An oracle reporting instants from {@code clock}, with zeros as initial content. */
    public HistoryOracle(int blockSize, long capacity, ViolationRecorder sink, OperationLog log, LongSupplier clock) {
        this(blockSize, capacity, sink, log, clock, InitialContent.zeros());
    }

    /**
     * The full constructor.
     *
     * @param blockSize logical block size: a power of two, at least 512
     * @param capacity  device capacity in bytes, a multiple of {@code blockSize}
     * @param sink      where violations are recorded
     * @param log       the operation log events are appended to and timelines taken from
     * @param clock     the instants shown in reports; null = the oracle's own sequence
     * @param initial   the initial-content policy
     * @throws IllegalArgumentException naming the bad value
     */
    public HistoryOracle(int blockSize, long capacity, ViolationRecorder sink, OperationLog log, LongSupplier clock,
                         InitialContent initial) {
        if (blockSize < 512 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("blockSize must be a power of two >= 512, was " + blockSize);
        }
        if (capacity < 0 || capacity % blockSize != 0) {
            throw new IllegalArgumentException("capacity must be a non-negative multiple of the block size "
                    + blockSize + ", was " + capacity);
        }
        this.blockSize = blockSize;
        this.capacity = capacity;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.log = Objects.requireNonNull(log, "log");
        this.clock = clock;
        this.initial = Objects.requireNonNull(initial, "initial");
    }

    /** The logical block size: the granularity of the history. */
    public int blockSize() {
        return blockSize;
    }

    /** The device capacity in bytes. */
    public long capacity() {
        return capacity;
    }

    /** Where violations are recorded. */
    public ViolationRecorder violations() {
        return sink;
    }

    /** The operation log. */
    public OperationLog log() {
        return log;
    }

    /** The initial-content policy. */
    public InitialContent initialContent() {
        return initial;
    }

    /**
     * Records that a write of {@code [offset, offset + length)} was submitted.
     *
     * @return the write's id, its version number (&gt; 0, increasing)
     */
    public long writeSubmitted(long offset, long length, String thread) {
        return sequence.incrementAndGet();
    }

    /**
     * Records that {@code landed}'s remaining bytes are now on the media at {@code offset}
     * (block aligned, whole blocks). Does not move {@code landed}'s position. May be called
     * several times per write, for different pieces.
     */
    public void writeLanded(long writeId, long offset, ByteBuffer landed) {
    }

    /** Records that a write completed (just before completion is signalled). */
    public void writeCompleted(long writeId) {
    }

    /**
     * Records that a write failed. Blocks it landed on keep its content (as if it had completed
     * now); blocks it did not land on forget it.
     */
    public void writeAbandoned(long writeId) {
    }

    /**
     * Records that a read of {@code [offset, offset + length)} started.
     *
     * @return a token for {@link #readCompleted} carrying the start instant
     */
    public long readStarted(long offset, long length, String thread) {
        return sequence.incrementAndGet();
    }

    /**
     * Classifies every full block of {@code served}'s remaining bytes (served from
     * {@code offset}), records the violations found (with a timeline) and returns them. Does not
     * move {@code served}'s position.
     *
     * @return the violations, empty (and not allocated) when the read is clean
     */
    public List<Violation> readCompleted(long token, long offset, ByteBuffer served, String thread) {
        return List.of();
    }

    /**
     * Checks bytes that a reader received from above the device (for example from a user-level
     * page cache) as if they had been read from the device right now.
     */
    public List<Violation> checkServed(long offset, ByteBuffer bytes) {
        return List.of();
    }

    /**
     * Checks bytes that a reader received from above the device, for a read that started when
     * {@code readToken} was issued by {@link #readStarted}.
     */
    public List<Violation> checkServed(long readToken, long offset, ByteBuffer bytes) {
        return List.of();
    }

    /** Number of operations seen (writes submitted, reads checked). */
    public long operations() {
        return 0;
    }

    /** Bytes classified by reads and checks. */
    public long bytesRead() {
        return 0;
    }

    /** Bytes landed by writes. */
    public long bytesWritten() {
        return 0;
    }

    /** Number of blocks whose classification was skipped because a needed version was forgotten. */
    public long undecided() {
        return 0;
    }
}
