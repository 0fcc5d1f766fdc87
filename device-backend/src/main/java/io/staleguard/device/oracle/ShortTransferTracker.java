package io.staleguard.device.oracle;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.IoCaller;
import io.staleguard.device.TimelineEvent;
import io.staleguard.device.Violation;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.apiguardian.api.API;

/**
 * Flags short reads and writes that the caller did not continue.
 *
 * <p>A read or write may legally transfer fewer bytes than asked (as {@code FileChannel} may);
 * the bug is a caller that takes the short count as final. State is kept per caller: the pair of
 * {@link IoCaller#id()} (one per channel) and the submitting thread's name.
 *
 * <h2>Reads (KAFKA-4576)</h2>
 * A short positional read that did not stop at end-of-data stays pending until the same caller's
 * next read: if that read starts where the short one stopped, it is resolved; any other read, a
 * {@link #closed close} of the caller, or {@link #finish()} makes it a
 * {@link io.staleguard.device.ViolationKind#SHORT_TRANSFER SHORT_TRANSFER} violation. A short
 * relative read ({@link IoCaller#positional()} false) is pending by the same rules, and a
 * {@link #flushedBy force} of its caller decides it too: a sender that takes a short chunk as the
 * last one and closes or forces the file is the same bug as a positional one. A sequential copy
 * that keeps reading continues where it stopped by construction, and a relative read still pending
 * at {@link #finish()} is dropped, not flagged: a stream that was simply left open is no promise.
 *
 * <h2>Writes (GEODE-2398)</h2>
 * A short write (positional or relative) remembers the range and the CRC-32C of its untransferred
 * bytes. It is resolved only if those bytes, with that same content, are on the media at their
 * offsets at the next {@link #flushed() flush}/{@link #flushed(IoCaller) force} or
 * {@link #closed close} of the caller, or at {@link #finish()}; otherwise it is a
 * {@code SHORT_TRANSFER} violation. The media is read back through a {@link MediaReader}.
 *
 * <h2>After an error</h2>
 * A write that moved some bytes and whose continuation then failed ({@link #writeFailed}: an injected EIO or
 * ENOSPC) is a short write that must still be completed, with the error kept. A caller that retries the rest at
 * the right offset resolves it when the tail lands; one that truncates the torn record away resolves it by
 * {@link #discarded}; one that stops writing through that channel is not flagged when it closes. One that writes
 * on as if the write never happened ({@link #wrote}) is a {@code SHORT_TRANSFER} naming the error at its next
 * force, flush or close if the tail is not on the media.
 *
 * <h2>Cost</h2>
 * When nothing is pending, {@link #beforeRead} and a full transfer's {@link #afterRead} or
 * {@link #afterWrite} read one volatile field and return. Thread safe; the media reader runs
 * without any tracker lock held.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ShortTransferTracker {

    /** Default maximum number of pending short writes before the oldest is checked early. */
    public static final int DEFAULT_MAX_PENDING_WRITES = 4096;

    /** Untransferred tails up to this size are copied, so a mismatch names the first differing byte. */
    static final int COPY_LIMIT = 64 * 1024;

    private final int blockSize;
    private final ViolationRecorder sink;
    private final OperationLog log;
    private final MediaReader media;
    private final int maxPendingWrites;

    /** Pending short reads per caller, oldest first; guarded by the map's per-key atomic compute. */
    private final ConcurrentHashMap<CallerKey, List<PendingRead>> reads = new ConcurrentHashMap<>();
    private final AtomicInteger pendingReads = new AtomicInteger();
    /** Guarded by itself. Oldest first. */
    private final ArrayDeque<PendingWrite> writes = new ArrayDeque<>();
    private volatile int pendingWrites;
    /** Pending writes whose continuation failed and whose caller has not written since; guarded by writes. */
    private volatile int failedWrites;

    /** Who: one channel (caller id) used by one thread. */
    private record CallerKey(long callerId, String thread) {
    }

    /** A short read not continued yet. */
    record PendingRead(IoCaller caller, String thread, long offset, long requested, long transferred,
                       boolean async) {
        long stop() {
            return offset + transferred;
        }
    }

    /**
     * A short write whose tail has not been seen on the media yet. Its continuation may have failed with an
     * injected error ({@link #writeFailed}); {@code error} and {@code movedOn} are guarded by the tracker's
     * {@code writes} lock.
     */
    static final class PendingWrite {
        private final IoCaller caller;
        private final String thread;
        private final long offset;
        private final long requested;
        private final long transferred;
        private final int crc;
        private final byte[] copy;
        private final long[] landedPrefix;
        /** The failed continuation in words ({@code "IOException: Input/output error (injected ...)"}), or null. */
        private String error;
        /** Where the failed continuation was, and the caller's first write after it (-1: none yet). */
        private long movedOnAt = -1;

        PendingWrite(IoCaller caller, String thread, long offset, long requested, long transferred, int crc,
                     byte[] copy, long[] landedPrefix) {
            this.caller = caller;
            this.thread = thread;
            this.offset = offset;
            this.requested = requested;
            this.transferred = transferred;
            this.crc = crc;
            this.copy = copy;
            this.landedPrefix = landedPrefix;
        }

        IoCaller caller() {
            return caller;
        }

        String thread() {
            return thread;
        }

        long offset() {
            return offset;
        }

        long requested() {
            return requested;
        }

        long transferred() {
            return transferred;
        }

        int crc() {
            return crc;
        }

        byte[] copy() {
            return copy;
        }

        long[] landedPrefix() {
            return landedPrefix;
        }

        String error() {
            return error;
        }

        long movedOnAt() {
            return movedOnAt;
        }

        long tailOffset() {
            return offset + transferred;
        }

        int tailLength() {
            return (int) (requested - transferred);
        }

        boolean failedAndStopped() {
            return error != null && movedOnAt < 0;
        }
    }

    /**
     * A tracker.
     *
     * @param blockSize logical block size, for the lba of reported violations
     * @param sink      where violations are recorded
     * @param log       timelines are taken from it (may be null: no timelines)
     * @param media     reads the media back to resolve short writes
     */
    public ShortTransferTracker(int blockSize, ViolationRecorder sink, OperationLog log, MediaReader media) {
        this(blockSize, sink, log, media, DEFAULT_MAX_PENDING_WRITES);
    }

    /**
     * A tracker holding at most {@code maxPendingWrites} short writes; beyond that the oldest is
     * checked at once (and flagged if its tail is not on the media yet).
     */
    public ShortTransferTracker(int blockSize, ViolationRecorder sink, OperationLog log, MediaReader media,
                                int maxPendingWrites) {
        if (blockSize <= 0) {
            throw new IllegalArgumentException("blockSize must be > 0, was " + blockSize);
        }
        if (maxPendingWrites < 1) {
            throw new IllegalArgumentException("maxPendingWrites must be >= 1, was " + maxPendingWrites);
        }
        this.blockSize = blockSize;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.log = log;
        this.media = Objects.requireNonNull(media, "media");
        this.maxPendingWrites = maxPendingWrites;
    }

    /** Before a read of {@code caller} (current thread) at {@code offset}. */
    public void beforeRead(IoCaller caller, long offset) {
        if (pendingReads.get() != 0) {
            beforeRead(caller, Thread.currentThread().getName(), offset);
        }
    }

    /** Before a read of {@code caller} submitted by {@code thread} at {@code offset}. */
    public void beforeRead(IoCaller caller, String thread, long offset) {
        if (pendingReads.get() == 0) {
            return;
        }
        List<PendingRead> flagged = new ArrayList<>();
        reads.computeIfPresent(new CallerKey(caller.id(), thread), (k, list) -> {
            for (Iterator<PendingRead> it = list.iterator(); it.hasNext(); ) {
                PendingRead p = it.next();
                if (p.stop() == offset) {
                    it.remove();
                    pendingReads.decrementAndGet();
                    return list.isEmpty() ? null : list;
                }
            }
            // Not a continuation: synchronous short reads are abandoned now. Asynchronous ones may
            // still be continued once the caller sees their completion; close/finish decides them.
            for (Iterator<PendingRead> it = list.iterator(); it.hasNext(); ) {
                PendingRead p = it.next();
                if (!p.async()) {
                    it.remove();
                    pendingReads.decrementAndGet();
                    flagged.add(p);
                }
            }
            return list.isEmpty() ? null : list;
        });
        for (PendingRead p : flagged) {
            flagRead(p, "next read at " + offset);
        }
    }

    /**
     * After a read by {@code caller} (current thread).
     *
     * @param requested   bytes asked for
     * @param transferred bytes read (-1 counts as 0 at end-of-data)
     * @param endOfData   whether the transfer stopped at end-of-data (file size or capacity)
     */
    public void afterRead(IoCaller caller, long offset, long requested, long transferred, boolean endOfData) {
        if (transferred >= requested || endOfData || transferred < 0) {
            return;
        }
        afterRead(caller, Thread.currentThread().getName(), offset, requested, transferred, false, false);
    }

    /** After a synchronous read by {@code caller} submitted by {@code thread}; see the overload. */
    public void afterRead(IoCaller caller, String thread, long offset, long requested, long transferred,
                          boolean endOfData) {
        afterRead(caller, thread, offset, requested, transferred, endOfData, false);
    }

    /**
     * After a read by {@code caller} submitted by {@code thread}. A short <em>asynchronous</em>
     * read stays pending until a later read of the caller continues it, or until the caller is
     * closed or the test ends: with several reads in flight, reads submitted before the caller saw
     * the short completion do not count against it.
     */
    public void afterRead(IoCaller caller, String thread, long offset, long requested, long transferred,
                          boolean endOfData, boolean async) {
        if (transferred >= requested || endOfData || transferred < 0) {
            return;
        }
        PendingRead p = new PendingRead(caller, thread, offset, requested, transferred, async);
        reads.compute(new CallerKey(caller.id(), thread), (k, list) -> {
            List<PendingRead> l = list == null ? new ArrayList<>(2) : list;
            l.add(p);
            return l;
        });
        pendingReads.incrementAndGet();
    }

    /**
     * After a write by {@code caller} (current thread). {@code srcs} are the caller's buffers
     * after the transfer (positions advanced by it): their remaining bytes, from the first
     * buffer with any remaining, are the untransferred ones. They are only read when the write
     * was short; their positions are not moved.
     */
    public void afterWrite(IoCaller caller, long offset, long requested, long transferred, ByteBuffer... srcs) {
        if (transferred >= requested) {
            return;
        }
        afterWrite(caller, Thread.currentThread().getName(), offset, requested, transferred, srcs);
    }

    /** After a write by {@code caller} submitted by {@code thread}; see the overload. */
    public void afterWrite(IoCaller caller, String thread, long offset, long requested, long transferred,
                           ByteBuffer... srcs) {
        if (transferred >= requested) {
            return;
        }
        long tail = requested - Math.max(0, transferred);
        if (tail > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("untransferred length " + tail + " is too large");
        }
        long have = 0;
        for (ByteBuffer b : srcs) {
            have += b.remaining();
        }
        if (have < tail) {
            throw new IllegalArgumentException("the buffers hold " + have + " untransferred bytes, the write left "
                    + tail + " (requested " + requested + ", transferred " + transferred + ")");
        }
        CRC32C crc = new CRC32C();
        byte[] copy = tail <= COPY_LIMIT ? new byte[(int) tail] : null;
        int left = (int) tail;
        int at = 0;
        for (ByteBuffer b : srcs) {
            if (left == 0) {
                break;
            }
            int n = Math.min(left, b.remaining());
            Fingerprints.update(crc, b, b.position(), n);
            if (copy != null) {
                b.get(b.position(), copy, at, n);
            }
            at += n;
            left -= n;
        }
        PendingWrite p = new PendingWrite(caller, thread, offset, requested, Math.max(0, transferred),
                (int) crc.getValue(), copy, new long[1]);
        PendingWrite evicted = null;
        synchronized (writes) {
            writes.addLast(p);
            if (writes.size() > maxPendingWrites) {
                evicted = writes.pollFirst();
                if (evicted.failedAndStopped()) {
                    failedWrites--;
                    evicted = null;
                }
            }
            pendingWrites = writes.size();
        }
        if (evicted != null) {
            checkWrite(evicted, "check forced early (more than " + maxPendingWrites + " short writes pending)");
        }
    }

    /**
     * A write of {@code caller} (by {@code thread}) at {@code offset} of {@code requested} bytes failed with an
     * I/O error, nothing of it moved: an injected {@code write-error}, the failing continuation of a
     * {@code partial-write}, or {@code enospc}. {@code error} names it for reports
     * ({@code "IOException: Input/output error (injected partial-write, fault #3 at t=41)"}).
     *
     * <p>If a pending short write of that thread ends at {@code offset} (this was its continuation, through the
     * same caller or a filesystem's own write of the rest),
     * the write made progress and then failed: it stays pending with the error, like a short write that must still
     * be completed. It is resolved if its tail lands with its content (the program retried at the right offset)
     * or is {@link #discarded} (the program truncated it away). Otherwise it is a {@code SHORT_TRANSFER} naming
     * the error once the caller moved on: at its first force, flush or close after it wrote through that channel
     * again. A caller that stops writing after the error (a writer poisoned by its first failure) is not flagged:
     * it did not take the torn record as written. A failed write that continues nothing moved nothing, and left
     * nothing torn.
     */
    public void writeFailed(IoCaller caller, String thread, long offset, long requested, String error) {
        Objects.requireNonNull(error, "error");
        if (pendingWrites == 0) {
            return;
        }
        synchronized (writes) {
            for (PendingWrite p : writes) {
                // Any caller of the thread: a filesystem's own write of the short write's rest (zeroing a new
                // block's remainder) fails the program's call as the continuation would.
                if (p.thread().equals(thread) && p.tailOffset() == offset && p.error == null) {
                    p.error = error;
                    p.movedOnAt = -1;
                    failedWrites++;
                    return;
                }
            }
        }
    }

    /**
     * A write of {@code length} bytes by {@code caller} (submitted by {@code thread}) at {@code offset} completed.
     * If that caller's continuation failed earlier, it has moved on, unless this write replaced the torn record
     * whole (from its first byte to the end of its missing bytes: a retry of the whole record), which resolves it.
     * The front end calls it for every completed write while {@link #watchesWrites()}.
     */
    public void wrote(IoCaller caller, String thread, long offset, long length) {
        if (failedWrites == 0) {
            return;
        }
        synchronized (writes) {
            for (Iterator<PendingWrite> it = writes.iterator(); it.hasNext(); ) {
                PendingWrite p = it.next();
                if (p.failedAndStopped() && p.caller().id() == caller.id() && p.thread().equals(thread)) {
                    if (offset <= p.offset() && offset + length >= p.tailOffset() + p.tailLength()) {
                        remove(it, p);
                    } else {
                        p.movedOnAt = offset;
                        failedWrites--;
                    }
                }
            }
            pendingWrites = writes.size();
        }
    }

    /** Whether a failed continuation waits for its caller's next write ({@link #wrote}); one volatile read. */
    public boolean watchesWrites() {
        return failedWrites != 0;
    }

    /**
     * The device range {@code [offset, +length)} left its file (a truncate, a freed block): pending short writes
     * whose missing bytes start in it, or right at its end, are resolved, since the program cut the torn record
     * off. (A torn write ends its file, so a truncate's range ends where the missing bytes begin.)
     */
    public void discarded(long offset, long length) {
        if (pendingWrites == 0 || length <= 0) {
            return;
        }
        long end = offset + length;
        synchronized (writes) {
            for (Iterator<PendingWrite> it = writes.iterator(); it.hasNext(); ) {
                PendingWrite p = it.next();
                long missingFrom = p.tailOffset() + p.landedPrefix()[0];
                if (missingFrom >= offset && missingFrom <= end) {
                    remove(it, p);
                }
            }
            pendingWrites = writes.size();
        }
    }

    /** Removes {@code p} (the caller holds the writes lock) and keeps {@link #failedWrites} right. */
    private void remove(Iterator<PendingWrite> it, PendingWrite p) {
        it.remove();
        if (p.failedAndStopped()) {
            failedWrites--;
        }
    }

    /**
     * Tells the tracker that {@code landed}'s remaining bytes are now on the media at {@code offset}
     * (its position is not moved). A pending short write whose untransferred tail lands, in order
     * and with the same content, is resolved as it lands: the tail had to land before the next
     * flush, so overwriting the range again before that flush is not a lost tail. Tails too large
     * to have been copied are still checked at the flush. One volatile read when nothing is pending.
     */
    public void landed(long offset, ByteBuffer landed) {
        if (pendingWrites == 0) {
            return;
        }
        int len = landed.remaining();
        long end = offset + len;
        synchronized (writes) {
            for (Iterator<PendingWrite> it = writes.iterator(); it.hasNext(); ) {
                PendingWrite p = it.next();
                if (p.copy() == null) {
                    continue;
                }
                long done = p.landedPrefix()[0];
                long at = p.tailOffset() + done;
                if (at < offset || at >= end) {
                    continue;
                }
                int n = (int) Math.min(p.tailLength() - done, end - at);
                int from = landed.position() + (int) (at - offset);
                int same = 0;
                while (same < n && landed.get(from + same) == p.copy()[(int) done + same]) {
                    same++;
                }
                p.landedPrefix()[0] = done + same;
                if (done + same == p.tailLength()) {
                    remove(it, p);
                }
            }
            pendingWrites = writes.size();
        }
    }

    /** A flush of the whole device: checks every pending short write. */
    public List<Violation> flushed() {
        if (pendingWrites == 0) {
            return List.of();
        }
        return checkWrites(takeWrites(null, false), "flush");
    }

    /** A force of one caller's channel: checks that caller's pending short writes. */
    public List<Violation> flushed(IoCaller caller) {
        List<Violation> reads = flagReads(caller, "force of " + caller.name(), true);
        if (pendingWrites == 0) {
            return reads;
        }
        List<Violation> writes = checkWrites(takeWrites(caller, false), "force of " + caller.name());
        if (reads.isEmpty()) {
            return writes;
        }
        List<Violation> out = new ArrayList<>(reads);
        out.addAll(writes);
        return List.copyOf(out);
    }

    /**
     * A flush or force issued by {@code thread}: checks only the pending short writes that thread
     * submitted (through {@code caller}, or through any caller if null). Another thread may be in
     * the middle of continuing its own short write when this thread flushes; its writes are
     * checked at its own flush, its channel's close or the end of the test.
     */
    public List<Violation> flushedBy(IoCaller caller, String thread) {
        List<Violation> reads = caller == null ? List.of()
                : flagReads(caller, "force of " + caller.name(), true);
        if (pendingWrites == 0) {
            return reads;
        }
        List<PendingWrite> taken = new ArrayList<>();
        synchronized (writes) {
            for (Iterator<PendingWrite> it = writes.iterator(); it.hasNext(); ) {
                PendingWrite p = it.next();
                if ((caller == null || p.caller().id() == caller.id()) && p.thread().equals(thread)
                        && !p.failedAndStopped()) {
                    taken.add(p);
                    it.remove();
                }
            }
            pendingWrites = writes.size();
        }
        List<Violation> writes = checkWrites(taken, caller == null ? "flush" : "force of " + caller.name());
        if (reads.isEmpty()) {
            return writes;
        }
        List<Violation> out = new ArrayList<>(reads);
        out.addAll(writes);
        return List.copyOf(out);
    }

    /** A close of {@code caller}: flags its pending short reads and checks its pending writes. */
    public List<Violation> closed(IoCaller caller) {
        List<Violation> out = new ArrayList<>(flagReads(caller, "channel " + caller.name() + " closed", false));
        if (pendingWrites != 0) {
            out.addAll(checkWrites(takeWrites(caller, true), "close of " + caller.name()));
        }
        return out.isEmpty() ? List.of() : List.copyOf(out);
    }

    /** The end of a test: flags every pending short read and checks every pending write. */
    public List<Violation> finish() {
        List<Violation> out = new ArrayList<>(flagReads(null, "end of test", false));
        if (pendingWrites != 0) {
            out.addAll(checkWrites(takeWrites(null, true), "end of test"));
        }
        return out.isEmpty() ? List.of() : List.copyOf(out);
    }

    /**
     * Forgets every pending short read and write without checking them, as after a power cycle:
     * they belonged to a process that died with the power, so nobody can continue them.
     */
    public void reset() {
        reads.clear();
        pendingReads.set(0);
        synchronized (writes) {
            writes.clear();
            pendingWrites = 0;
            failedWrites = 0;
        }
    }

    /** Number of short reads and writes pending now. */
    public int pending() {
        return pendingReads.get() + pendingWrites;
    }

    /**
     * Flags the pending short reads of {@code caller} (every caller if null). At the end of the test
     * the relative ones are dropped; with {@code relativeOnly} (a force) only relative ones are taken.
     */
    private List<Violation> flagReads(IoCaller caller, String why, boolean relativeOnly) {
        if (pendingReads.get() == 0) {
            return List.of();
        }
        boolean endOfTest = caller == null;
        List<Violation> out = new ArrayList<>();
        for (CallerKey key : new ArrayList<>(reads.keySet())) {
            if (caller != null && key.callerId() != caller.id()) {
                continue;
            }
            List<PendingRead> taken = new ArrayList<>();
            reads.computeIfPresent(key, (k, list) -> {
                for (Iterator<PendingRead> it = list.iterator(); it.hasNext(); ) {
                    PendingRead p = it.next();
                    if (!relativeOnly || !p.caller().positional()) {
                        it.remove();
                        pendingReads.decrementAndGet();
                        taken.add(p);
                    }
                }
                return list.isEmpty() ? null : list;
            });
            for (PendingRead p : taken) {
                if (!(endOfTest && !p.caller().positional())) {
                    out.add(flagRead(p, why));
                }
            }
        }
        return out;
    }

    private Violation flagRead(PendingRead p, String actual) {
        Violation v = ShortTransferFormatter.unfinishedRead(p, blockSize, actual)
                .timeline(timeline(p.stop(), p.requested() - p.transferred())).build();
        sink.record(v);
        return v;
    }

    /**
     * Takes the pending writes of {@code caller} (every caller if null) to be checked. A write whose continuation
     * failed and whose caller has not written since is not taken: at a force or flush it stays pending (the caller
     * may still retry), at a close or the end ({@code ending}) it is dropped (the caller stopped).
     */
    private List<PendingWrite> takeWrites(IoCaller caller, boolean ending) {
        List<PendingWrite> taken = new ArrayList<>();
        synchronized (writes) {
            for (Iterator<PendingWrite> it = writes.iterator(); it.hasNext(); ) {
                PendingWrite p = it.next();
                if (caller != null && p.caller().id() != caller.id()) {
                    continue;
                }
                if (p.failedAndStopped()) {
                    if (ending) {
                        remove(it, p);
                    }
                    continue;
                }
                taken.add(p);
                it.remove();
            }
            pendingWrites = writes.size();
        }
        return taken;
    }

    private List<Violation> checkWrites(List<PendingWrite> taken, String when) {
        if (taken.isEmpty()) {
            return List.of();
        }
        List<Violation> out = new ArrayList<>();
        for (PendingWrite p : taken) {
            Violation v = checkWrite(p, when);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    /** Reads the tail back; records and returns a violation if it is not there, else null. */
    private Violation checkWrite(PendingWrite p, String when) {
        int len = p.tailLength();
        ByteBuffer back = ByteBuffer.allocate(len);
        media.read(p.tailOffset(), back);
        back.flip();
        CRC32C crc = new CRC32C();
        crc.update(back.duplicate());
        int onMedia = (int) crc.getValue();
        long firstDiff = -1;
        if (p.copy() != null) {
            int i = Arrays.mismatch(p.copy(), 0, len, back.array(), 0, len);
            if (i < 0) {
                return null;
            }
            firstDiff = p.tailOffset() + i;
        } else if (onMedia == p.crc()) {
            return null;
        }
        Violation v = ShortTransferFormatter.lostTail(p, blockSize, onMedia, firstDiff, when)
                .timeline(timeline(p.tailOffset(), len)).build();
        sink.record(v);
        return v;
    }

    private List<TimelineEvent> timeline(long offset, long length) {
        return log == null || !sink.wantsDetail() ? List.of()
                : log.around(offset, length, OperationLog.DEFAULT_AROUND);
    }
}
