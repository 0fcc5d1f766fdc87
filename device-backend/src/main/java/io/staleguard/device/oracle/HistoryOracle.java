package io.staleguard.device.oracle;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.TimelineEvent;
import io.staleguard.device.Violation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.apiguardian.api.API;

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
 * allocated lazily on first touch (an untouched block that reads as zeros costs nothing). Per
 * block the oracle keeps, in full, the versions in flight, the admissible completed versions and
 * at least the last 3 superseded ones (pruned when the block's 8 slots fill up); the 8 versions
 * evicted before those are remembered by a 64-bit content hash only, so a long-poisoned cache page is still reported as stale (a torn mix involving
 * them is reported as corrupt). Memory is O(blocks touched + writes in flight) and does not grow
 * with the number of operations. A read returning a version older than all that is reported as
 * corrupt; one that may have needed a version forgotten while it ran is not reported (counted in
 * {@link #undecided()}).
 *
 * <p>Thread safe; per-block state is locked per block, never globally.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class HistoryOracle {

    /** Events attached to each violation as its timeline. */
    static final int TIMELINE_EVENTS = OperationLog.DEFAULT_AROUND;

    private static final int WRITE_TABLE = 1 << 14;
    private static final int READ_RING = 1 << 12;

    private final int blockSize;
    private final int shift;
    private final int sectors;
    private final long capacity;
    private final ViolationRecorder sink;
    private final OperationLog log;
    private final LongSupplier clock;
    // Replaced only by restart(), which callers run with no I/O in progress.
    private volatile InitialContent initial;
    private final int[] zeroFps;
    private final BlockDirectory blocks;
    private final AtomicLong sequence = new AtomicLong();

    // Writes in flight by id: a slot per id modulo the table size, a map for collisions.
    private final AtomicReferenceArray<WriteRecord> inFlight = new AtomicReferenceArray<>(WRITE_TABLE);
    private final ConcurrentHashMap<Long, WriteRecord> inFlightOverflow = new ConcurrentHashMap<>();

    // Start instants of recent reads, for reports (only needed with an external clock).
    private final AtomicLongArray readTokens = new AtomicLongArray(READ_RING);
    private final long[] readTimes = new long[READ_RING];

    private final LongAdder operations = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder undecided = new LongAdder();

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
        if (blockSize < Fingerprints.SECTOR || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("blockSize must be a power of two >= 512, was " + blockSize);
        }
        if (capacity < 0 || capacity % blockSize != 0) {
            throw new IllegalArgumentException("capacity must be a non-negative multiple of the block size "
                    + blockSize + ", was " + capacity);
        }
        this.blockSize = blockSize;
        this.shift = Integer.numberOfTrailingZeros(blockSize);
        this.sectors = blockSize / Fingerprints.SECTOR;
        this.capacity = capacity;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.log = Objects.requireNonNull(log, "log");
        this.clock = clock;
        this.initial = Objects.requireNonNull(initial, "initial");
        this.zeroFps = new int[sectors];
        Arrays.fill(zeroFps, Fingerprints.ZERO_SECTOR);
        this.blocks = new BlockDirectory(capacity >>> shift);
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
     * @throws IllegalArgumentException if the range is negative or beyond the capacity
     */
    public long writeSubmitted(long offset, long length, String thread) {
        checkRange("write", offset, length);
        long id = sequence.incrementAndGet();
        long t = clock == null ? id : clock.getAsLong();
        String who = thread == null ? "?" : thread;
        WriteRecord w = new WriteRecord(id, offset, length, who, t);
        int slot = (int) (id & (WRITE_TABLE - 1));
        if (!inFlight.compareAndSet(slot, null, w)) {
            inFlightOverflow.put(id, w);
        }
        operations.increment();
        log.append(t, who, TimelineEvent.Type.WRITE_SUBMIT, offset, length, id, null);
        return id;
    }

    /**
     * Records that {@code landed}'s remaining bytes are now on the media at {@code offset}
     * (block aligned, whole blocks, inside the write's range). Does not move {@code landed}'s
     * position. May be called several times per write, for different pieces; landing the same
     * block twice keeps the later bytes.
     *
     * @throws IllegalArgumentException for an unknown or finished write id, or a range that is not
     *                                  whole blocks inside the write
     */
    public void writeLanded(long writeId, long offset, ByteBuffer landed) {
        land(writeId, offset, landed.remaining(), landed, null, 0);
    }

    /**
     * As {@link #writeLanded(long, long, ByteBuffer)}, for a caller that has hashed the {@code length}
     * landed bytes already: {@code sectorCrcs[crcOff...]} holds the CRC-32C ({@link java.util.zip.CRC32C})
     * of each of their 512-byte sectors, in order, so that a write hashes its data once and the oracle
     * needs no view of it. They must be those of the bytes that landed: the oracle cannot check them.
     *
     * @throws IllegalArgumentException as {@link #writeLanded(long, long, ByteBuffer)}, or if
     *                                  {@code sectorCrcs} is too short for the landed range
     * @throws NullPointerException     if {@code sectorCrcs} is null
     */
    public void writeLanded(long writeId, long offset, int length, int[] sectorCrcs, int crcOff) {
        land(writeId, offset, length, null, Objects.requireNonNull(sectorCrcs, "sectorCrcs"), crcOff);
    }

    private void land(long writeId, long offset, int len, ByteBuffer landed, int[] sectorCrcs, int crcOff) {
        WriteRecord w = inFlight(writeId);
        if (len < 0) {
            throw new IllegalArgumentException("landed length of v" + writeId + " must be >= 0, was " + len);
        }
        if ((offset & (blockSize - 1)) != 0 || (len & (blockSize - 1)) != 0) {
            throw new IllegalArgumentException("landed range [" + offset + ", +" + len + ") of v" + writeId
                    + " is not whole blocks of " + blockSize + " bytes");
        }
        if (offset < w.offset || offset + len > w.offset + w.length) {
            throw new IllegalArgumentException("landed range [" + offset + ", +" + len + ") is outside v" + writeId
                    + "'s range [" + w.offset + ", +" + w.length + ")");
        }
        long first = offset >>> shift;
        int n = len >>> shift;
        if (sectorCrcs != null) {
            if (crcOff < 0 || crcOff > sectorCrcs.length - n * sectors) {
                throw new IllegalArgumentException("sector CRC array of length " + sectorCrcs.length + " at offset "
                        + crcOff + " is too short for the " + n * sectors + " sectors landed");
            }
            for (int k = 0; k < n; k++) {
                block(first + k).land(w, sectorCrcs, crcOff + k * sectors);
            }
        } else {
            Fingerprints fp = Fingerprints.local();
            int[] f = fp.scratch(sectors);
            int pos = landed.position();
            for (int k = 0; k < n; k++) {
                fp.sectors(landed, pos + (k << shift), sectors, f);
                block(first + k).land(w, f, 0);
            }
        }
        bytesWritten.add(len);
        log.append(now(), w.thread, TimelineEvent.Type.WRITE_LAND, offset, len, writeId, null);
    }

    /**
     * Records that a write completed (just before completion is signalled). Blocks of its range
     * it never landed on are unaffected (a short write).
     *
     * @throws IllegalArgumentException for an unknown or already finished write id
     */
    public void writeCompleted(long writeId) {
        finishWrite(writeId, false);
    }

    /**
     * Records that a write failed. Blocks it landed on keep its content (as if it had completed
     * now); blocks it did not land on forget it.
     *
     * @throws IllegalArgumentException for an unknown or already finished write id
     */
    public void writeAbandoned(long writeId) {
        finishWrite(writeId, true);
    }

    private void finishWrite(long writeId, boolean failed) {
        WriteRecord w = inFlight(writeId);
        int slot = (int) (writeId & (WRITE_TABLE - 1));
        if (!inFlight.compareAndSet(slot, w, null) && inFlightOverflow.remove(writeId) == null) {
            throw new IllegalArgumentException("write v" + writeId + " already completed");
        }
        long c = sequence.incrementAndGet();
        long t = clock == null ? c : clock.getAsLong();
        long end = Math.min(w.offset + w.length, capacity);
        for (long b = w.offset >>> shift; (b << shift) < end; b++) {
            BlockHistory h = blocks.get(b);
            if (h != null) {
                h.completed(writeId, c, t, failed);
            }
        }
        log.append(t, w.thread, TimelineEvent.Type.WRITE_COMPLETE, w.offset, w.length, writeId,
                failed ? "failed" : null);
    }

    private WriteRecord inFlight(long writeId) {
        WriteRecord w = inFlight.get((int) (writeId & (WRITE_TABLE - 1)));
        if (w == null || w.id != writeId) {
            w = inFlightOverflow.get(writeId);
        }
        if (w == null) {
            throw new IllegalArgumentException("unknown write id " + writeId
                    + " (never submitted to this oracle, or already completed)");
        }
        return w;
    }

    /**
     * Records that a read of {@code [offset, offset + length)} started.
     *
     * @return a token for {@link #readCompleted} carrying the start instant
     * @throws IllegalArgumentException if the range is negative or beyond the capacity
     */
    public long readStarted(long offset, long length, String thread) {
        checkRange("read", offset, length);
        long token = sequence.incrementAndGet();
        long t = token;
        if (clock != null) {
            t = clock.getAsLong();
            int i = (int) (token & (READ_RING - 1));
            readTimes[i] = t;
            readTokens.set(i, token);
        }
        log.append(t, thread == null ? "?" : thread, TimelineEvent.Type.READ_SUBMIT, offset, length, 0, null);
        return token;
    }

    /**
     * Classifies every full block of {@code served}'s remaining bytes (served from
     * {@code offset}), records the violations found (with a timeline) and returns them. Partial
     * blocks at either edge are skipped. Contiguous blocks with the same finding are reported as
     * one violation. Does not move {@code served}'s position.
     *
     * @return the violations, empty (and not allocated) when the read is clean
     * @throws IllegalArgumentException for an unknown token or a range beyond the capacity
     * @throws IoConsistencyException   if the recorder is fail-fast and a violation was found
     */
    public List<Violation> readCompleted(long token, long offset, ByteBuffer served, String thread) {
        return classify(token, offset, served, thread == null ? "?" : thread, TimelineEvent.Type.READ_COMPLETE);
    }

    /**
     * Checks bytes that a reader received from above the device (for example from a user-level
     * page cache) as if a read had started and completed right now: they must be what the device
     * may return now. Same rules and partial-block handling as {@link #readCompleted}.
     */
    public List<Violation> checkServed(long offset, ByteBuffer bytes) {
        String thread = Thread.currentThread().getName();
        long token = readStarted(offset, bytes.remaining(), thread);
        return classify(token, offset, bytes, thread, TimelineEvent.Type.NOTE);
    }

    /**
     * Checks bytes that a reader received from above the device, for a read that started when
     * {@code readToken} was issued by {@link #readStarted}: writes that overlapped the read are
     * admissible too.
     */
    public List<Violation> checkServed(long readToken, long offset, ByteBuffer bytes) {
        return classify(readToken, offset, bytes, Thread.currentThread().getName(), TimelineEvent.Type.NOTE);
    }

    private List<Violation> classify(long token, long offset, ByteBuffer served, String thread,
                                     TimelineEvent.Type event) {
        if (token <= 0 || token > sequence.get()) {
            throw new IllegalArgumentException("unknown read token " + token);
        }
        int len = served.remaining();
        checkRange("read", offset, len);
        operations.increment();
        bytesRead.add(len);
        Fingerprints fp = Fingerprints.local();
        int[] f = fp.scratch(sectors);
        int pos = served.position();
        long firstBlock = (offset + blockSize - 1) >>> shift;
        long endBlock = (offset + len) >>> shift;
        long seen = -1;
        List<Violation> found = null;
        for (long b = firstBlock; b < endBlock; b++) {
            long blockOffset = b << shift;
            fp.sectors(served, pos + (int) (blockOffset - offset), sectors, f);
            BlockHistory h = history(b, f);
            long r = h == null ? 0 : h.admit(token, f);
            if (r == BlockHistory.NOT_ADMITTED) {
                ReadVerdict verdict = h.classify(b, token, f, readStartTime(token));
                if (verdict instanceof ReadVerdict.Admitted a) {
                    r = a.version();
                } else if (verdict instanceof ReadVerdict.Inadmissible x) {
                    // Worded here, after the block's lock is released.
                    found = merge(found, ReadVerdictFormatter.violation(x, blockSize, thread));
                    continue;
                } else {
                    undecided.increment();
                    continue;
                }
            }
            if (seen < 0) {
                seen = r;
            }
        }
        log.append(now(), thread, event, offset, len, Math.max(seen, 0),
                event == TimelineEvent.Type.NOTE ? "served from above the device" : null);
        if (found == null) {
            return List.of();
        }
        if (sink.wantsDetail()) { // a timeline scan per unretained violation would slow a buggy soak down
            for (int i = 0; i < found.size(); i++) {
                Violation v = found.get(i);
                found.set(i, v.withTimeline(log.around(v.offset(), v.length(), TIMELINE_EVENTS)));
            }
        }
        for (Violation v : found) {
            sink.record(v);
        }
        return List.copyOf(found);
    }

    /** The block's history, made on first touch. */
    private BlockHistory block(long block) {
        BlockHistory h = blocks.get(block);
        return h != null ? h : blocks.getOrCreate(block, this::newBlock);
    }

    /** The block's history, or null for an untouched block that reads as zeros (it needs no state). */
    private BlockHistory history(long block, int[] f) {
        BlockHistory h = blocks.get(block);
        if (h == null) {
            if (initial.policy() == InitialContent.Policy.ZEROS && Arrays.equals(f, 0, sectors, zeroFps, 0, sectors)) {
                return null;
            }
            h = blocks.getOrCreate(block, this::newBlock);
        }
        return h;
    }

    /** Adds {@code v} to {@code found}, extending the last violation when {@code v} continues it. */
    private List<Violation> merge(List<Violation> found, Violation v) {
        List<Violation> out = found == null ? new ArrayList<>(2) : found;
        Violation last = out.isEmpty() ? null : out.get(out.size() - 1);
        if (last != null && last.kind() == v.kind() && last.offset() + last.length() == v.offset()
                && last.expected().equals(v.expected()) && last.actual().equals(v.actual())) {
            out.set(out.size() - 1, Violation.of(last.kind()).at(last.offset(), last.length() + blockSize, last.lba())
                    .saw(last.expected(), last.actual()).by(last.thread(), List.of()).detail(last.detail()).build());
        } else {
            out.add(v);
        }
        return out;
    }

    private long readStartTime(long token) {
        if (clock == null) {
            return token;
        }
        int i = (int) (token & (READ_RING - 1));
        if (readTokens.get(i) != token) {
            return -1;
        }
        long t = readTimes[i];
        return readTokens.get(i) == token ? t : -1;
    }

    private BlockHistory newBlock(long block) {
        switch (initial.policy()) {
            case ZEROS:
                return new BlockHistory(sectors, zeroFps);
            case UNKNOWN:
                return new BlockHistory(sectors, null);
            default:
                ByteBuffer buf = ByteBuffer.allocate(blockSize);
                initial.media().read(block << shift, buf);
                int[] f = new int[sectors];
                Fingerprints.local().sectors(buf, 0, sectors, f);
                return new BlockHistory(sectors, f);
        }
    }

    /**
     * Forgets every block history, write in flight and read start, as after a power cycle: what
     * the media holds now is the initial content ({@code initial}, usually
     * {@link InitialContent#fromMedia}), so a read of a crash state's old bytes is no stale read.
     * The clock, the counters and the violations recorded so far are kept. Callers guarantee that no
     * I/O is in progress.
     */
    public void restart(InitialContent initial) {
        this.initial = Objects.requireNonNull(initial, "initial");
        blocks.clear();
        // A power cycle per crash state: a volatile store per slot of both tables cost more than the recovery
        // (0.4 ms). After a quiesce almost every write slot is empty already, and reads are cheap; read tokens are
        // not reset at all, since the sequence never repeats a token and a slot is set before its token is asked.
        for (int i = 0; i < WRITE_TABLE; i++) {
            if (inFlight.get(i) != null) {
                inFlight.set(i, null);
            }
        }
        inFlightOverflow.clear();
    }

    /** The instant this oracle stamps events with now, so that others' timeline events line up with its own. */
    public long instant() {
        return now();
    }

    private long now() {
        return clock == null ? sequence.get() : clock.getAsLong();
    }

    private void checkRange(String what, long offset, long length) {
        if (offset < 0) {
            throw new IllegalArgumentException(what + " offset must be >= 0, was " + offset);
        }
        if (length < 0) {
            throw new IllegalArgumentException(what + " length must be >= 0, was " + length);
        }
        if (offset > capacity || length > capacity - offset) {
            throw new IllegalArgumentException(what + " range [" + offset + ", " + (offset + length)
                    + ") is beyond the capacity " + capacity);
        }
    }

    /** Number of operations seen (writes submitted, reads and served data checked). */
    public long operations() {
        return operations.sum();
    }

    /** Bytes checked by reads and {@link #checkServed}. */
    public long bytesRead() {
        return bytesRead.sum();
    }

    /** Bytes landed by writes. */
    public long bytesWritten() {
        return bytesWritten.sum();
    }

    /** Number of blocks whose classification was skipped because a needed version was forgotten. */
    public long undecided() {
        return undecided.sum();
    }

    /** Writes submitted and not yet completed or abandoned. */
    public int writesInFlight() {
        int n = inFlightOverflow.size();
        for (int i = 0; i < WRITE_TABLE; i++) {
            if (inFlight.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    /** Versions retained over all blocks (memory accounting for tests). */
    long retainedVersions() {
        return blocks.retainedVersions();
    }

    /** Blocks with a history. */
    long touchedBlocks() {
        return blocks.touched();
    }
}
