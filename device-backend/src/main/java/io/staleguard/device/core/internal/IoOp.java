package io.staleguard.device.core.internal;

import io.staleguard.device.FileLocator;
import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.hooks.OpKind;
import io.staleguard.device.hooks.OperationInfo;
import io.staleguard.device.oracle.IoConsistencyException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One read or write on its way through a verifying device: what the caller asked, what the device
 * decided (transfer length, delay), and what it captured at submission (the data snapshot and the
 * protection information of a write).
 *
 * <p>The caller's buffers are addressed absolutely from the positions they had at submission;
 * their positions are advanced once, at completion, as {@code FileChannel} and
 * {@code AsynchronousFileChannel} do.
 *
 * <p>Not final only so that a backend's {@link OperationFactory} can add a public view interface
 * (the simulated device's path operation); a subclass adds no state and overrides nothing.
 */
public class IoOp {

    final long seq;
    final OpKind kind;
    final boolean async;
    final IoMode mode;
    final IoCaller caller;
    final String thread;
    final StackTraceElement[] stack;
    final long offset;
    final long requested;
    /** Bytes this operation transfers (after end-of-device and short-transfer decisions). */
    int length;
    /** Whether the transfer stops at the end of the device (a legal, untracked short read). */
    boolean endOfData;
    final long delayNanos;

    private final ByteBuffer one;
    private final int onePos;
    private final ByteBuffer[] many;
    private final int[] manyPos;

    /** Write: the caller's bytes at submission (first {@code length} bytes), or null on the fast path. */
    byte[] snapshot;
    boolean snapshotPooled;
    /** Write: tuples of the aligned block range, generated at submission for the fully covered blocks. */
    byte[] tuples;
    long writeId;
    long readToken;
    /** Result for reads past the end (-1) or the transferred count. */
    int result;

    CompletableFuture<Integer> future;
    IoConsistencyException failFast;
    private OperationInfo info;

    /**
     * An operation as submitted; the transfer length is decided later by the planner.
     *
     * @param stack the submitting stack trace, or null when stacks are not captured
     * @param one   the caller's one buffer, or null for a scattering or gathering call
     * @param many  the caller's buffers, or null
     */
    public IoOp(long seq, OpKind kind, boolean async, IoMode mode, IoCaller caller, StackTraceElement[] stack, long offset,
         long requested, long delayNanos, ByteBuffer one, ByteBuffer[] many) {
        this.seq = seq;
        this.kind = kind;
        this.async = async;
        this.mode = mode;
        this.caller = caller;
        this.thread = Thread.currentThread().getName();
        this.stack = stack;
        this.offset = offset;
        this.requested = requested;
        this.delayNanos = delayNanos;
        this.one = one;
        this.onePos = one == null ? 0 : one.position();
        this.many = many;
        if (many != null) {
            manyPos = new int[many.length];
            for (int i = 0; i < many.length; i++) {
                manyPos[i] = many[i].position();
            }
        } else {
            manyPos = null;
        }
    }

    /** The device-wide operation number. */
    public final long sequence() {
        return seq;
    }

    /** Read or write. */
    public final OpKind kind() {
        return kind;
    }

    /** Buffered or direct. */
    public final IoMode mode() {
        return mode;
    }

    /** The caller (channel) that issued it. */
    public final IoCaller caller() {
        return caller;
    }

    /** Name of the submitting thread. */
    public final String thread() {
        return thread;
    }

    /** First byte on the device. */
    public final long offset() {
        return offset;
    }

    /** Bytes this operation transfers. */
    public final int length() {
        return length;
    }

    /** Bytes the caller asked for. */
    public final long requested() {
        return requested;
    }

    /** A write's id in the history oracle (0 if none): for I/O paths that land data themselves. */
    public final long writeId() {
        return writeId;
    }

    /** A read's oracle token (from {@code readStarted}): for I/O paths that serve data themselves. */
    public final long readToken() {
        return readToken;
    }

    /**
     * Whether the write's bytes were captured at submission (so that a path taking them later can
     * have them checked with {@link WriteLanding#checkTakenAgainstSubmission}); false when
     * submission and transfer are the same instant.
     */
    public final boolean capturedAtSubmission() {
        return snapshot != null;
    }

    /** Whether the call was asynchronous. */
    public final boolean isAsync() {
        return async;
    }

    /** The submitting stack trace as text, empty unless stack capture is on. */
    public final List<String> stackText() {
        if (stack == null) {
            return List.of();
        }
        return Arrays.stream(stack).map(StackTraceElement::toString).toList();
    }

    /** What interleaving hooks see, without a file. */
    public final OperationInfo info() {
        return info(null);
    }

    /**
     * What interleaving hooks see, with the file and file offset of the first byte when {@code files} (a
     * filesystem's map) knows them. Built once, when a hook first looks, so an unhooked operation allocates
     * nothing here.
     */
    public final OperationInfo info(FileLocator files) {
        OperationInfo i = info;
        if (i == null) {
            i = new OperationInfo(seq, kind, offset, length, requested, mode, async, thread, caller.name(),
                    files == null ? null : files.locate(offset));
            info = i;
        }
        return i;
    }

    /**
     * Makes this read transfer only its first {@code bytes} bytes: a short read that did not reach end
     * of data (for I/O paths that model a kernel returning less than asked, such as the iomap
     * {@code IOMAP_DIO_PARTIAL} read). Sets the length and the result the caller gets to {@code bytes}
     * and clears end-of-data, so the short-transfer tracker watches whether the caller continues.
     * Only legal at the DMA moment before any byte was copied or handed to the oracle: the oracle's
     * {@code readCompleted} must then be given only these bytes (as
     * {@link ReadVerification#readBlocks} does, which copies {@link #length()} bytes).
     *
     * @throws IllegalStateException    if this is not a read
     * @throws IllegalArgumentException if {@code bytes} is not in {@code [1, length())}
     */
    public final void shortenRead(int bytes) {
        if (kind != OpKind.READ) {
            throw new IllegalStateException("only a read can be shortened, not " + this);
        }
        if (bytes < 1 || bytes >= length) {
            throw new IllegalArgumentException("a shortened read must keep 1.." + (length - 1) + " bytes, was " + bytes
                    + " (" + this + ")");
        }
        length = bytes;
        result = bytes;
        endOfData = false;
        // Hooks at later stages see the length actually transferred.
        info = null;
    }

    /** Copies the first {@code length} bytes of the caller's buffer(s), as they are now, to {@code dst[off...]}. */
    public final void copyFromCaller(byte[] dst, int off) {
        int n = length;
        if (one != null) {
            one.get(onePos, dst, off, n);
            return;
        }
        for (int i = 0; i < many.length && n > 0; i++) {
            int take = Math.min(n, many[i].limit() - manyPos[i]);
            many[i].get(manyPos[i], dst, off, take);
            off += take;
            n -= take;
        }
    }

    /** Copies {@code length} bytes from {@code src[off...]} into the caller's buffer(s) at their submission positions. */
    public final void copyToCaller(byte[] src, int off) {
        int n = length;
        if (one != null) {
            one.put(onePos, src, off, n);
            return;
        }
        for (int i = 0; i < many.length && n > 0; i++) {
            int put = Math.min(n, many[i].limit() - manyPos[i]);
            many[i].put(manyPos[i], src, off, put);
            off += put;
            n -= put;
        }
    }

    /** Advances the caller's buffer positions by the transferred count. */
    void advance(int transferred) {
        if (transferred <= 0) {
            return;
        }
        if (one != null) {
            one.position(onePos + transferred);
            return;
        }
        int n = transferred;
        for (int i = 0; i < many.length && n > 0; i++) {
            int step = Math.min(n, many[i].limit() - manyPos[i]);
            many[i].position(manyPos[i] + step);
            n -= step;
        }
    }

    /** The caller's buffers (for the short-transfer tracker, after {@link #advance}). */
    ByteBuffer[] buffers() {
        return one != null ? new ByteBuffer[] {one} : many;
    }

    void noteFailFast(IoConsistencyException e, String device) {
        if (failFast == null) {
            failFast = e.violation() == null ? e : new DeviceConsistencyException(e.violation(), device);
        }
    }

    @Override
    public final String toString() {
        return "#" + seq + " " + (async ? "async " : "") + mode + " " + kind + " [" + offset + ",+" + length + " of "
                + requested + ") by " + thread;
    }
}
