package io.staleguard.device.oracle;

import io.staleguard.device.IoCaller;
import io.staleguard.device.Violation;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

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
 * {@link io.staleguard.device.ViolationKind#SHORT_TRANSFER SHORT_TRANSFER} violation. Relative
 * reads ({@link IoCaller#positional()} false) never become pending: a stream copy reading at the
 * channel's own position continues where it stopped by construction.
 *
 * <h2>Writes (GEODE-2398)</h2>
 * A short write (positional or relative) remembers the range and the CRC-32C of its untransferred
 * bytes. It is resolved only if those bytes, with that same content, are on the media at their
 * offsets at the next {@link #flushed() flush}/{@link #flushed(IoCaller) force} or
 * {@link #closed close} of the caller, or at {@link #finish()}; otherwise it is a
 * {@code SHORT_TRANSFER} violation. The media is read back through a {@link MediaReader}.
 *
 * <h2>Cost</h2>
 * When nothing is pending, {@link #beforeRead} and a full transfer's {@link #afterRead} or
 * {@link #afterWrite} read one volatile field and return. Thread safe; the media reader runs
 * without any tracker lock held.
 */
public final class ShortTransferTracker {

    /** Default maximum number of pending short writes before the oldest is checked early. */
    public static final int DEFAULT_MAX_PENDING_WRITES = 4096;

    private final int blockSize;
    private final ViolationRecorder sink;
    private final OperationLog log;
    private final MediaReader media;

    /**
     * A tracker.
     *
     * @param blockSize logical block size, for the lba of reported violations
     * @param sink      where violations are recorded
     * @param log       timelines are taken from it (may be null: no timelines)
     * @param media     reads the media back to resolve short writes
     */
    public ShortTransferTracker(int blockSize, ViolationRecorder sink, OperationLog log, MediaReader media) {
        if (blockSize <= 0) {
            throw new IllegalArgumentException("blockSize must be > 0, was " + blockSize);
        }
        this.blockSize = blockSize;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.log = log;
        this.media = Objects.requireNonNull(media, "media");
    }

    /** Before a read of {@code caller} (current thread) at {@code offset}. */
    public void beforeRead(IoCaller caller, long offset) {
        beforeRead(caller, Thread.currentThread().getName(), offset);
    }

    /** Before a read of {@code caller} submitted by {@code thread} at {@code offset}. */
    public void beforeRead(IoCaller caller, String thread, long offset) {
    }

    /**
     * After a read by {@code caller} (current thread).
     *
     * @param requested   bytes asked for
     * @param transferred bytes read (-1 counts as 0 at end-of-data)
     * @param endOfData   whether the transfer stopped at end-of-data (file size or capacity)
     */
    public void afterRead(IoCaller caller, long offset, long requested, long transferred, boolean endOfData) {
        afterRead(caller, Thread.currentThread().getName(), offset, requested, transferred, endOfData);
    }

    /** After a read by {@code caller} submitted by {@code thread}; see the overload. */
    public void afterRead(IoCaller caller, String thread, long offset, long requested, long transferred,
                          boolean endOfData) {
    }

    /**
     * After a write by {@code caller} (current thread). {@code srcs} are the caller's buffers
     * after the transfer (positions advanced by it): their remaining bytes, from the first
     * buffer with any remaining, are the untransferred ones. They are only read when the write
     * was short; their positions are not moved.
     */
    public void afterWrite(IoCaller caller, long offset, long requested, long transferred, ByteBuffer... srcs) {
        afterWrite(caller, Thread.currentThread().getName(), offset, requested, transferred, srcs);
    }

    /** After a write by {@code caller} submitted by {@code thread}; see the overload. */
    public void afterWrite(IoCaller caller, String thread, long offset, long requested, long transferred,
                           ByteBuffer... srcs) {
    }

    /** A flush of the whole device: checks every pending short write. */
    public List<Violation> flushed() {
        return List.of();
    }

    /** A force of one caller's channel: checks that caller's pending short writes. */
    public List<Violation> flushed(IoCaller caller) {
        return List.of();
    }

    /** A close of {@code caller}: flags its pending short reads and checks its pending writes. */
    public List<Violation> closed(IoCaller caller) {
        return List.of();
    }

    /** The end of a test: flags every pending short read and checks every pending write. */
    public List<Violation> finish() {
        return List.of();
    }

    /** Number of short reads and writes pending now. */
    public int pending() {
        return 0;
    }
}
