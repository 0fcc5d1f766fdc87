package io.staleguard.device.internal;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.ViolationLog;
import io.staleguard.device.hooks.DeviceHooks;
import io.staleguard.device.hooks.OpKind;
import io.staleguard.device.hooks.Stage;
import io.staleguard.device.integrity.PiStore;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.integrity.ProtectionInformation;
import io.staleguard.device.integrity.TagMismatch;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.InitialContent;
import io.staleguard.device.oracle.IoConsistencyException;
import io.staleguard.device.oracle.OperationLog;
import io.staleguard.device.oracle.ShortTransferTracker;
import io.staleguard.device.oracle.ViolationRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The verifying front end every backend shares: argument and O_DIRECT checks, seeded short
 * transfers, protection information generated at submission, the transfer at a later "DMA"
 * moment, verification where the data lands, the history oracle and the short-transfer tracker.
 *
 * <h2>Life of a write</h2>
 * <ol>
 *   <li><b>Submission</b> (calling thread): arguments are checked, the transfer length decided
 *       (end of device, injected short transfer), the oracle told, and the caller's bytes copied
 *       into a snapshot from which the PI tuples of every fully covered block are generated. This
 *       is the host-side generation of DIX: from the buffer as it is <em>now</em>.</li>
 *   <li><b>Hook {@link Stage#SUBMIT}</b>, then the seeded delay ({@link DeviceSettings#dmaDelayMinNanos()}
 *       .. max), then <b>hook {@link Stage#DMA}</b>.</li>
 *   <li><b>DMA</b>: the data is taken from the caller's buffer <em>again</em>, as it is at this
 *       later moment, and landed block by block under striped locks. Each block is verified as
 *       it lands: bytes that differ from the snapshot mean the buffer changed between
 *       submission and DMA, a {@link ViolationKind#GUARD_TAG} violation carrying the LBA, the
 *       submitted and the landed guard and the first differing byte. (Equal bytes imply an equal
 *       guard, so the guard is only recomputed on a mismatch; the reference and application tags
 *       are checked against the LBA the data landed at.) Partial edge blocks of unaligned
 *       buffered writes are read, merged and re-protected (read-modify-write, as the kernel
 *       does).</li>
 *   <li><b>Hook {@link Stage#COMPLETE}</b>, the oracle's completion, then the caller's buffer
 *       position moves and the call returns (or the future completes).</li>
 * </ol>
 * A synchronous call with no delay and no hook armed submits and transfers at the same instant:
 * the data is taken once and the PI generated from it.
 *
 * <h2>Life of a read</h2>
 * The oracle learns the read at submission; at the DMA moment the blocks are read with their
 * tuples under the stripe locks, every tuple is verified against its data (a
 * {@link ViolationKind#REF_TAG} there means misdirected data), the bytes are classified by the
 * oracle (stale, torn, corrupt) and copied into the caller's buffer.
 *
 * <h2>Backend SPI</h2>
 * A backend implements the media: {@link #readMedia} and {@link #writeMedia} move whole,
 * block-aligned blocks and are called with the blocks' stripe locks held; {@link #flushMedia}
 * and {@link #closeMedia} are optional. It may override {@link #landingOffset} (tests that
 * misdirect writes), {@link #verifyByReadBack} (real backends: read each landed range back and
 * verify what the kernel stored) and {@link #describeBackend}. The front end owns the PI store,
 * so a backend stores data only.
 *
 * <h2>Violations</h2>
 * Recorded, never thrown from I/O calls, unless fail-fast is on: then the call during which the
 * first failing violation was found throws (a synchronous call) or its future completes
 * exceptionally with an {@link IoConsistencyException}, after the I/O itself finished.
 *
 * <p>Thread safe; no device-wide lock on the I/O path.
 */
public abstract class VerifyingBlockDevice implements BlockDevice {

    private static final int RETAIN_SCRATCH = 1 << 20;
    private static final long SPIN_LIMIT_NANOS = 20_000;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** The options this device was built with. */
    protected final DeviceSettings settings;
    private final int blockSize;
    private final int blockShift;
    private final long capacity;
    private final ProtectionFormat protection;
    private final boolean piEnabled;
    private final int tupleSize;
    private final long seed;
    private final ViolationRecorder recorder;
    private final OperationLog log;
    private final HistoryOracle oracle;
    private final ShortTransferTracker tracker;
    private final PiStore piStore;
    private final DeviceHooks hooks = new DeviceHooks();
    private final StripeLocks locks = new StripeLocks();
    private final ByteArrayPool pool = new ByteArrayPool();
    private final AtomicLong sequence = new AtomicLong();
    private final LongAdder operations = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final boolean delays;
    private volatile DmaEngine dma;

    /** Builds the shared machinery (oracle, tracker, PI store, recorder) for {@code settings}. */
    protected VerifyingBlockDevice(DeviceSettings settings) {
        this(settings, InitialContent.zeros());
    }

    /**
     * As {@link #VerifyingBlockDevice(DeviceSettings)}, with the oracle's initial-content policy
     * (a real backend over a pre-existing file cannot assume zeros).
     */
    protected VerifyingBlockDevice(DeviceSettings settings, InitialContent initial) {
        this.settings = settings;
        this.blockSize = settings.blockSize();
        this.blockShift = Integer.numberOfTrailingZeros(blockSize);
        this.capacity = settings.capacity();
        this.protection = settings.protection();
        this.piEnabled = protection.enabled();
        this.tupleSize = piEnabled ? protection.tupleSize() : 0;
        this.seed = settings.seed();
        this.recorder = new ViolationRecorder(settings.retainedViolations());
        this.recorder.setFailFast(settings.failFast());
        this.log = new OperationLog();
        this.oracle = settings.oracleEnabled() ? new HistoryOracle(blockSize, capacity, recorder, log, null, initial) : null;
        this.tracker = new ShortTransferTracker(blockSize, recorder, log, this::readRaw);
        this.piStore = piEnabled ? PiStore.forFormat(protection, capacity >> blockShift) : null;
        this.delays = settings.dmaDelayMaxNanos() > 0;
    }

    // ------------------------------------------------------------------ backend SPI

    /**
     * Copies {@code len} media bytes from {@code offset} into {@code dst[off...]}. Offset and length
     * are block aligned; the stripe locks of the blocks are held. Never-written media reads as zeros.
     */
    protected abstract void readMedia(long offset, byte[] dst, int off, int len) throws IOException;

    /** Writes {@code len} bytes from {@code src[off...]} to the media at {@code offset}; block aligned, locks held. */
    protected abstract void writeMedia(long offset, byte[] src, int off, int len) throws IOException;

    /** Makes written media durable (a cache flush). Default: nothing to do. */
    protected void flushMedia() throws IOException {
    }

    /** Releases the backend's resources; called once, after in-flight operations finished. */
    protected void closeMedia() throws IOException {
    }

    /**
     * Where a write's data actually lands. The default is where it was addressed; a test backend
     * may return another block-aligned offset to model a misdirected write, which the reference
     * tag then catches.
     */
    protected long landingOffset(IoOp op) {
        return op.offset;
    }

    /**
     * Whether each landed range is read back and verified (for backends where data passes through
     * a kernel and could be changed there). Default false: the front end verifies the bytes it
     * hands to {@link #writeMedia}.
     */
    protected boolean verifyByReadBack() {
        return false;
    }

    /** The backend part of {@link #describe()}, e.g. {@code "SimulatedDevice"}. */
    protected String describeBackend() {
        return settings.backend();
    }

    // ------------------------------------------------------------------ accessors

    @Override
    public final int logicalBlockSize() {
        return blockSize;
    }

    @Override
    public final long capacity() {
        return capacity;
    }

    @Override
    public final ProtectionFormat protection() {
        return protection;
    }

    @Override
    public final ViolationLog violations() {
        return recorder;
    }

    /** The recorder behind {@link #violations()} (listeners, fail-fast, failing kinds). */
    public final ViolationRecorder recorder() {
        return recorder;
    }

    /** The history oracle, or null if it was disabled. */
    public final HistoryOracle oracle() {
        return oracle;
    }

    /** The short-transfer tracker. */
    public final ShortTransferTracker shortTransfers() {
        return tracker;
    }

    /** The operation log (timeline ring). */
    public final OperationLog operationLog() {
        return log;
    }

    /** The PI store (tuples of every written block), or null when protection is off. */
    protected final PiStore piStore() {
        return piStore;
    }

    /** The interleaving hooks of this device. */
    public final DeviceHooks hooks() {
        return hooks;
    }

    /** The seed driving every random decision of this device. */
    public final long seed() {
        return seed;
    }

    /** Number of I/O calls submitted so far. */
    public final long operations() {
        return operations.sum();
    }

    /** Bytes transferred so far. */
    public final long bytesTransferred() {
        return bytes.sum();
    }

    /** Whether {@link #close()} was called. */
    public final boolean isClosed() {
        return closed.get();
    }

    @Override
    public String describe() {
        return describeBackend() + "[capacity " + capacity + " B, block " + blockSize + " B, " + protection.name()
                + ", seed 0x" + Long.toHexString(seed) + ", short-transfer p=" + settings.shortTransferProbability()
                + ", DMA delay " + settings.dmaDelayMinNanos() + ".." + settings.dmaDelayMaxNanos() + " ns, "
                + settings.workers() + " worker(s), " + settings.completionOrder()
                + (settings.failFast() ? ", fail-fast" : "") + "]";
    }

    @Override
    public String toString() {
        return describe();
    }

    // ------------------------------------------------------------------ the API

    @Override
    public final int read(ByteBuffer dst, long offset, IoMode mode, IoCaller caller) throws IOException {
        long n = checkCall(dst, true, offset, mode, caller);
        return (int) runSync(submitRead(dst, null, n, offset, mode, caller, false));
    }

    @Override
    public final long read(ByteBuffer[] dsts, long offset, IoMode mode, IoCaller caller) throws IOException {
        long n = checkCall(dsts, true, offset, mode, caller);
        return runSync(submitRead(null, dsts.clone(), n, offset, mode, caller, false));
    }

    @Override
    public final int write(ByteBuffer src, long offset, IoMode mode, IoCaller caller) throws IOException {
        long n = checkCall(src, false, offset, mode, caller);
        return (int) runSync(submitWrite(src, null, n, offset, mode, caller, false));
    }

    @Override
    public final long write(ByteBuffer[] srcs, long offset, IoMode mode, IoCaller caller) throws IOException {
        long n = checkCall(srcs, false, offset, mode, caller);
        return runSync(submitWrite(null, srcs.clone(), n, offset, mode, caller, false));
    }

    @Override
    public final CompletableFuture<Integer> readAsync(ByteBuffer dst, long offset, IoMode mode, IoCaller caller) {
        try {
            long n = checkCall(dst, true, offset, mode, caller);
            return runAsync(submitRead(dst, null, n, offset, mode, caller, true));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public final CompletableFuture<Integer> writeAsync(ByteBuffer src, long offset, IoMode mode, IoCaller caller) {
        try {
            long n = checkCall(src, false, offset, mode, caller);
            return runAsync(submitWrite(src, null, n, offset, mode, caller, true));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The checks of a one-buffer call, in the order the messages promise; returns the bytes asked for. */
    private long checkCall(ByteBuffer buffer, boolean intoBuffer, long offset, IoMode mode, IoCaller caller)
            throws IOException {
        IoArguments.checkBuffer(buffer, intoBuffer);
        checkTarget(offset, mode, caller);
        if (mode == IoMode.DIRECT) {
            IoArguments.checkDirect(buffer, offset, blockSize);
        }
        return buffer.remaining();
    }

    /** The checks of a scattering or gathering call; returns the bytes asked for. */
    private long checkCall(ByteBuffer[] buffers, boolean intoBuffers, long offset, IoMode mode, IoCaller caller)
            throws IOException {
        long total = IoArguments.checkBuffers(buffers, intoBuffers);
        checkTarget(offset, mode, caller);
        if (mode == IoMode.DIRECT) {
            IoArguments.checkDirect(buffers, offset, blockSize);
        }
        return total;
    }

    private void checkTarget(long offset, IoMode mode, IoCaller caller) throws IOException {
        IoArguments.checkModeAndCaller(mode, caller);
        checkOpen();
        IoArguments.checkOffset(offset);
    }

    @Override
    public void flush() throws IOException {
        checkOpen();
        flushMedia();
        // On the oracle's clock, so that the flush sits between the events around it in a timeline.
        log.append(oracle != null ? oracle.instant() : System.nanoTime(), Thread.currentThread().getName(),
                io.staleguard.device.TimelineEvent.Type.FLUSH, 0, 0, 0, "flush");
        tracker.flushedBy(null, Thread.currentThread().getName());
    }

    /**
     * A {@code force} of one caller's channel: flushes the media and checks the short writes this
     * thread left pending through that caller.
     */
    public void force(IoCaller caller) throws IOException {
        checkOpen();
        flushMedia();
        tracker.flushedBy(caller, Thread.currentThread().getName());
    }

    /** Tells the short-transfer tracker that {@code caller} (a channel) was closed. */
    public void callerClosed(IoCaller caller) {
        tracker.closed(caller);
    }

    /**
     * Checks bytes a reader received from above the device (a user-level cache) as if read from
     * the device now; records and returns the violations (STALE_READ, TORN_READ, CORRUPT_READ).
     */
    @Override
    public List<Violation> checkServed(long offset, ByteBuffer served) {
        IoArguments.checkOffset(offset);
        if (served == null) {
            throw new NullPointerException("served (buffer) is null");
        }
        if (oracle == null) {
            return List.of();
        }
        return oracle.checkServed(offset, served);
    }

    @Override
    public ViolationLog finish() {
        drainBeforeFinalCheck();
        tracker.finish();
        return recorder;
    }

    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        hooks.releaseAll();
        DmaEngine engine = dma;
        if (engine != null) {
            engine.shutdown(10_000);
        }
        try {
            drainBeforeFinalCheck();
            tracker.finish();
        } finally {
            closeMedia();
        }
    }

    /** Reads media bytes bypassing every detector (the tracker's and tests' view of the media). */
    public final void readRaw(long offset, ByteBuffer dst) {
        int len = dst.remaining();
        if (len == 0) {
            return;
        }
        long start = offset & -blockSize;
        long end = Math.min(capacity, (offset + len + blockSize - 1) & -blockSize);
        if (start >= end) {
            while (dst.hasRemaining()) {
                dst.put((byte) 0);
            }
            return;
        }
        byte[] tmp = new byte[(int) (end - start)];
        long lba = start >> blockShift;
        long count = (end - start) >> blockShift;
        locks.lock(lba, count);
        try {
            readMedia(start, tmp, 0, tmp.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            locks.unlock(lba, count);
        }
        int from = (int) (offset - start);
        int avail = Math.max(0, Math.min(len, tmp.length - from));
        dst.put(tmp, from, avail);
        while (dst.hasRemaining()) {
            dst.put((byte) 0);
        }
    }

    // ------------------------------------------------------------------ submission

    private void checkOpen() throws IOException {
        if (closed.get()) {
            throw new DeviceClosedException(describe());
        }
    }

    private long delayFor(long seq) {
        if (!delays) {
            return 0;
        }
        long min = settings.dmaDelayMinNanos();
        long span = settings.dmaDelayMaxNanos() - min;
        return min + SeededRandom.below(seed, seq, SeededRandom.DELAY, span + 1);
    }

    /** Decides how many bytes the operation transfers: end of device, the per-call maximum, injected short transfers. */
    private void plan(IoOp op) {
        long avail = capacity - op.offset;
        long want = Math.min(op.requested, Math.min(avail, settings.maxTransfer()));
        op.endOfData = op.requested > avail;
        double p = settings.shortTransferProbability();
        if (p > 0 && want > 1) {
            long unit = op.mode == IoMode.DIRECT ? blockSize : 1;
            long units = want / unit;
            if (units >= 2 && SeededRandom.unit(seed, op.seq, SeededRandom.SHORT) < p) {
                want = unit * (1 + SeededRandom.below(seed, op.seq, SeededRandom.SHORT_LENGTH, units - 1));
                op.endOfData = false;
            }
        }
        op.length = (int) want;
    }

    private IoOp newOp(OpKind kind, ByteBuffer one, ByteBuffer[] many, long requested, long offset, IoMode mode,
                       IoCaller caller, boolean async) {
        long seq = sequence.incrementAndGet();
        operations.increment();
        StackTraceElement[] stack = settings.captureStacks() ? new Throwable().getStackTrace() : null;
        return new IoOp(seq, kind, async, mode, caller, stack, offset, requested, delayFor(seq), one, many);
    }

    private IoOp submitRead(ByteBuffer one, ByteBuffer[] many, long requested, long offset, IoMode mode,
                            IoCaller caller, boolean async) {
        IoOp op = newOp(OpKind.READ, one, many, requested, offset, mode, caller, async);
        try {
            tracker.beforeRead(caller, op.thread, offset);
        } catch (IoConsistencyException e) {
            op.noteFailFast(e, describe());
        }
        if (requested == 0) {
            op.length = 0;
            op.result = 0;
            return op;
        }
        if (offset >= capacity) {
            op.length = 0;
            op.endOfData = true;
            op.result = -1;
            return op;
        }
        plan(op);
        op.result = op.length;
        if (oracle != null) {
            op.readToken = oracle.readStarted(offset, op.length, op.thread);
        }
        return op;
    }

    private IoOp submitWrite(ByteBuffer one, ByteBuffer[] many, long requested, long offset, IoMode mode,
                             IoCaller caller, boolean async) throws IOException {
        if (requested > 0 && offset >= capacity) {
            throw new IOException("No space left on device: offset " + offset + " is at or beyond the capacity ("
                    + capacity + " bytes) of " + describeBackend());
        }
        IoOp op = newOp(OpKind.WRITE, one, many, requested, offset, mode, caller, async);
        if (requested == 0) {
            op.length = 0;
            return op;
        }
        plan(op);
        op.endOfData = false;
        op.result = op.length;
        if (oracle != null) {
            // The media is written in whole blocks (edges read-modify-written), so that is the write's range.
            long aStart = offset & -blockSize;
            long aEnd = (offset + op.length + blockSize - 1) & -blockSize;
            op.writeId = oracle.writeSubmitted(aStart, aEnd - aStart, op.thread);
        }
        boolean sameInstant = !async && op.delayNanos == 0 && !hooks.active();
        if (!sameInstant) {
            captureSubmission(op);
        }
        return op;
    }

    /** Copies the caller's bytes now and generates the PI of every fully covered block from them. */
    private void captureSubmission(IoOp op) {
        int n = op.length;
        long aStart = op.offset & -blockSize;
        long aEnd = (op.offset + n + blockSize - 1) & -blockSize;
        int blocks = (int) ((aEnd - aStart) >> blockShift);
        byte[] snap = pool.acquire(n);
        op.snapshot = snap;
        op.snapshotPooled = true;
        op.copyFromCaller(snap, 0);
        if (piEnabled) {
            op.tuples = new byte[blocks * tupleSize];
            generateCovered(op, snap, 0, op.tuples);
        }
    }

    /** Generates tuples for the blocks of {@code op} that {@code data} covers whole. */
    private void generateCovered(IoOp op, byte[] data, int dataOff, byte[] tuples) {
        long first = op.offset;
        long end = first + op.length;
        long aStart = first & -blockSize;
        long fullStart = (first + blockSize - 1) & -blockSize;
        long fullEnd = end & -blockSize;
        if (fullEnd <= fullStart) {
            return;
        }
        int tupleIndex = (int) ((fullStart - aStart) >> blockShift);
        ByteBuffer view = ByteBuffer.wrap(data, dataOff + (int) (fullStart - first), (int) (fullEnd - fullStart));
        ProtectionInformation.generate(protection, view, blockSize, fullStart >> blockShift, 0,
                settings.appTag(), tuples, tupleIndex * tupleSize);
    }

    // ------------------------------------------------------------------ running

    private long runSync(IoOp op) throws IOException {
        if (op.length > 0) {
            if (hooks.active()) {
                hooks.arriveSync(op.info(), Stage.SUBMIT);
            }
            try {
                submittedToPath(op);
            } catch (RuntimeException e) {
                abandon(op);
                releaseSnapshot(op);
                throw e;
            }
            if (op.delayNanos > 0) {
                pause(op.delayNanos);
            }
            if (hooks.active()) {
                hooks.arriveSync(op.info(), Stage.DMA);
            }
            try {
                transfer(op);
            } catch (IOException | RuntimeException e) {
                abandon(op);
                throw e;
            }
            if (hooks.active()) {
                hooks.arriveSync(op.info(), Stage.COMPLETE);
            }
        }
        complete(op);
        if (op.failFast != null) {
            throw op.failFast;
        }
        return op.result;
    }

    /**
     * Waits out a synchronous call's DMA delay. Parking cannot wait less than tens of
     * microseconds, so short delays are spun (the caller is blocked in its call anyway).
     */
    private static void pause(long nanos) {
        if (nanos >= SPIN_LIMIT_NANOS) {
            LockSupport.parkNanos(nanos);
            return;
        }
        long deadline = System.nanoTime() + nanos;
        while (System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }

    private CompletableFuture<Integer> runAsync(IoOp op) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        op.future = f;
        if (op.length == 0) {
            finishAsync(op, DmaEngine.nothing());
            return f;
        }
        DmaEngine engine = engine();
        DmaEngine.Job job = new DmaEngine.Job() {
            @Override
            public long delayNanos() {
                return op.delayNanos;
            }

            @Override
            public void run(Runnable done) {
                atDma(op, done);
            }
        };
        Runnable submit = () -> {
            try {
                submittedToPath(op);
            } catch (RuntimeException e) {
                abandon(op);
                releaseSnapshot(op);
                f.completeExceptionally(e);
                return;
            }
            engine.submit(job);
        };
        if (!hooks.active() || !hooks.parkAsync(op.info(), Stage.SUBMIT, submit)) {
            submit.run();
        }
        return f;
    }

    private void atDma(IoOp op, Runnable done) {
        if (hooks.active() && hooks.parkAsync(op.info(), Stage.DMA, () -> engine().execute(() -> dmaThenComplete(op, done)))) {
            return;
        }
        dmaThenComplete(op, done);
    }

    private void dmaThenComplete(IoOp op, Runnable done) {
        try {
            transfer(op);
        } catch (Throwable e) {
            abandon(op);
            releaseSnapshot(op);
            op.future.completeExceptionally(e);
            done.run();
            return;
        }
        if (hooks.active() && hooks.parkAsync(op.info(), Stage.COMPLETE, () -> engine().execute(() -> finishAsync(op, done)))) {
            return;
        }
        finishAsync(op, done);
    }

    private void finishAsync(IoOp op, Runnable done) {
        try {
            complete(op);
        } catch (Throwable e) {
            op.future.completeExceptionally(e);
            done.run();
            return;
        }
        // Complete before releasing the FIFO lane, so that FIFO completions are signalled in order.
        try {
            if (op.failFast != null) {
                op.future.completeExceptionally(op.failFast);
            } else {
                op.future.complete(op.result);
            }
        } finally {
            done.run();
        }
    }

    private DmaEngine engine() {
        DmaEngine e = dma;
        if (e == null) {
            synchronized (this) {
                e = dma;
                if (e == null) {
                    e = new DmaEngine(settings.workers(), settings.completionOrder());
                    dma = e;
                }
            }
        }
        return e;
    }

    private void abandon(IoOp op) {
        if (op.kind == OpKind.WRITE && oracle != null && op.writeId != 0) {
            oracle.writeAbandoned(op.writeId);
        }
    }

    private void releaseSnapshot(IoOp op) {
        if (op.snapshotPooled && op.snapshot != null) {
            pool.release(op.snapshot);
        }
        op.snapshot = null;
    }

    /** Completion: the oracle, the caller's positions, the short-transfer tracker. */
    private void complete(IoOp op) {
        if (op.kind == OpKind.WRITE) {
            if (oracle != null && op.writeId != 0) {
                oracle.writeCompleted(op.writeId);
            }
            op.advance(op.length);
            bytes.add(op.length);
            try {
                if (op.length < op.requested) {
                    tracker.afterWrite(op.caller, op.thread, op.offset, op.requested, op.length, op.buffers());
                }
            } catch (IoConsistencyException e) {
                op.noteFailFast(e, describe());
            }
        } else {
            op.advance(op.length);
            bytes.add(op.length);
            try {
                tracker.afterRead(op.caller, op.thread, op.offset, op.requested, op.result, op.endOfData, op.async);
            } catch (IoConsistencyException e) {
                op.noteFailFast(e, describe());
            }
        }
    }

    // ------------------------------------------------------------------ the transfer ("DMA")

    private void transfer(IoOp op) throws IOException {
        try {
            if (!transferThroughPath(op)) {
                transferToMedia(op);
            }
        } finally {
            releaseSnapshot(op);
        }
    }

    /**
     * Lets a backend's I/O path see an operation when it is submitted, before its DMA delay: where
     * the kernel invalidates cached pages ahead of a direct write. The default does nothing.
     */
    protected void submittedToPath(IoOp op) {
    }

    /**
     * Runs before the short-transfer tracker's final check at {@link #finish()} and {@link #close()}:
     * a backend that caches written data (the simulated page cache) writes it back here, so that
     * the tracker finds untransferred tails that were written again on the media. Default nothing.
     */
    protected void drainBeforeFinalCheck() {
    }

    /**
     * For I/O paths that take a write's data themselves (the simulated page cache copying a
     * buffered write): compares the bytes taken now with the caller's bytes at submission and
     * records a {@code GUARD_TAG} violation for every block that changed in between, exactly as a
     * write landing on the media is checked. {@code image} holds the aligned blocks the write
     * touches, the write's bytes at {@code image[head...]}, the rest what surrounds them; it is
     * only read. Nothing happens when submission and transfer were the same instant.
     */
    public final void checkTakenAgainstSubmission(IoOp op, byte[] image, int head) {
        if (op.snapshot == null || op.kind != OpKind.WRITE) {
            return;
        }
        byte[] tuples = op.tuples == null ? null : op.tuples.clone();
        try {
            checkAgainstSnapshot(op, image, head, tuples, op.offset & -blockSize);
        } catch (IoConsistencyException e) {
            op.noteFailFast(e, describe());
        }
    }

    /**
     * Lets a backend route a transfer through its own I/O path (a simulated page cache, say) at
     * the DMA moment. Return true if the path performed it; the default returns false.
     */
    protected boolean transferThroughPath(IoOp op) throws IOException {
        return false;
    }

    /**
     * The transfer straight to or from the media, with verification where the data lands and the
     * oracle told: what every operation gets unless {@link #transferThroughPath} took it.
     */
    public final void transferToMedia(IoOp op) throws IOException {
        if (op.kind == OpKind.WRITE) {
            landWrite(op);
        } else {
            readBlocks(op);
        }
    }

    /**
     * Test support: overwrites whole blocks of the media under the device, bypassing every
     * detector, as a faulty disk or firmware would. With {@code regenerateTuples} the blocks get
     * fresh, matching protection information carrying {@code appTag} (corruption that PI cannot
     * see); without it their tuples stay as they were (so PI catches it on read).
     */
    protected final void writeRawBlocks(long offset, byte[] data, boolean regenerateTuples, int appTag)
            throws IOException {
        if (offset < 0 || offset % blockSize != 0 || data.length % blockSize != 0 || offset + data.length > capacity) {
            throw new IllegalArgumentException("raw write [" + offset + ",+" + data.length
                    + ") is not whole blocks of " + blockSize + " B within the capacity " + capacity);
        }
        long lba = offset >> blockShift;
        int blocks = data.length >> blockShift;
        locks.lock(lba, blocks);
        try {
            writeMedia(offset, data, 0, data.length);
            if (piEnabled && regenerateTuples) {
                byte[] t = new byte[blocks * tupleSize];
                ProtectionInformation.generate(protection, ByteBuffer.wrap(data), blockSize, lba, 0, appTag, t, 0);
                piStore.put(lba, t, 0, blocks);
            }
        } finally {
            locks.unlock(lba, blocks);
        }
    }

    private void landWrite(IoOp op) throws IOException {
        Scratch s = SCRATCH.get();
        int n = op.length;
        long first = op.offset;
        long end = first + n;
        long aStart = first & -blockSize;
        long aEnd = (end + blockSize - 1) & -blockSize;
        int span = (int) (aEnd - aStart);
        int blocks = span >> blockShift;
        boolean aligned = aStart == first && aEnd == end;
        int head = (int) (first - aStart);

        // Take the data from the caller's buffer as it is now: into the block image directly.
        byte[] image = s.image(span);
        op.copyFromCaller(image, head);
        byte[] tuples = op.tuples;
        if (piEnabled && tuples == null) {
            // Submission and DMA are the same instant: generate from the data just taken.
            tuples = s.tuples(blocks * tupleSize);
            generateCovered(op, image, head, tuples);
        }
        long landing = aligned ? landingOffset(op) : aStart;
        long lba = landing >> blockShift;
        locks.lock(lba, blocks);
        try {
            if (!aligned) {
                mergeEdges(image, aStart, first, end, aEnd);
            }
            if (op.snapshot != null) {
                checkAgainstSnapshot(op, image, head, tuples, aStart);
            }
            if (piEnabled && !aligned) {
                protectEdges(image, aStart, first, end, aEnd, tuples);
            }
            if (piEnabled && landing != aStart) {
                checkTagsAt(op, image, landing, tuples, blocks);
            }
            writeMedia(landing, image, 0, span);
            if (piEnabled) {
                piStore.put(lba, tuples, 0, blocks);
            }
            if (verifyByReadBack()) {
                readBack(op, image, landing, span, tuples);
            }
            if (oracle != null) {
                oracle.writeLanded(op.writeId, aStart, ByteBuffer.wrap(image, 0, span));
            }
        } catch (IoConsistencyException e) {
            op.noteFailFast(e, describe());
        } finally {
            locks.unlock(lba, blocks);
        }
        tracker.landed(landing + head, ByteBuffer.wrap(image, head, n));
    }

    /** Reads the partial edge blocks of an unaligned write from the media and merges the new bytes in. */
    private void mergeEdges(byte[] image, long aStart, long first, long end, long aEnd) throws IOException {
        int head = (int) (first - aStart);
        int span = (int) (aEnd - aStart);
        int n = (int) (end - first);
        if (head > 0 || (span == blockSize && end < aEnd)) {
            byte[] old = SCRATCH.get().edge(blockSize);
            readMedia(aStart, old, 0, blockSize);
            System.arraycopy(old, 0, image, 0, head);
            if (span == blockSize) {
                System.arraycopy(old, head + n, image, head + n, blockSize - head - n);
                return;
            }
        }
        if (end < aEnd) {
            byte[] old = SCRATCH.get().edge(blockSize);
            readMedia(aEnd - blockSize, old, 0, blockSize);
            int tailStart = (int) (end - (aEnd - blockSize));
            System.arraycopy(old, tailStart, image, span - blockSize + tailStart, blockSize - tailStart);
        }
    }

    /** Generates the tuples of partially written edge blocks from the merged image (kernel-side read-modify-write). */
    private void protectEdges(byte[] image, long aStart, long first, long end, long aEnd, byte[] tuples) {
        int span = (int) (aEnd - aStart);
        if (first != aStart) {
            ProtectionInformation.generate(protection, ByteBuffer.wrap(image, 0, blockSize), blockSize,
                    aStart >> blockShift, 0, settings.appTag(), tuples, 0);
        }
        if (end != aEnd && (span > blockSize || first == aStart)) {
            ProtectionInformation.generate(protection, ByteBuffer.wrap(image, span - blockSize, blockSize), blockSize,
                    (aEnd - blockSize) >> blockShift, 0, settings.appTag(), tuples,
                    ((span >> blockShift) - 1) * tupleSize);
        }
    }

    /**
     * Compares the data taken at DMA with the snapshot taken at submission, block by block. A
     * differing block is a GUARD_TAG violation; its tuple is regenerated from the landed data so
     * that the media stays self-consistent and the bug is reported once.
     */
    private void checkAgainstSnapshot(IoOp op, byte[] image, int head, byte[] tuples, long aStart) {
        byte[] snap = op.snapshot;
        int n = op.length;
        int from = 0;
        while (from < n) {
            int d = Arrays.mismatch(image, head + from, head + n, snap, from, n);
            if (d < 0) {
                return;
            }
            int diff = from + d;
            long diffAbs = op.offset + diff;
            long blockStart = diffAbs & -blockSize;
            int blockIndex = (int) ((blockStart - aStart) >> blockShift);
            reportGuard(op, image, snap, head, blockStart, diffAbs, tuples, blockIndex, aStart);
            from = (int) (blockStart + blockSize - op.offset);
        }
    }

    private void reportGuard(IoOp op, byte[] image, byte[] snap, int head, long blockStart, long diffAbs,
                             byte[] tuples, int blockIndex, long aStart) {
        long lba = blockStart >> blockShift;
        int imgOff = (int) (blockStart - aStart);
        String expected;
        String actual;
        if (piEnabled) {
            // The submitted block: the landed block with the snapshot's bytes where the write covers it.
            byte[] submitted = Arrays.copyOfRange(image, imgOff, imgOff + blockSize);
            long covFrom = Math.max(blockStart, op.offset);
            long covTo = Math.min(blockStart + blockSize, op.offset + op.length);
            System.arraycopy(snap, (int) (covFrom - op.offset), submitted, (int) (covFrom - blockStart),
                    (int) (covTo - covFrom));
            long submittedGuard = ProtectionInformation.guard(protection, ByteBuffer.wrap(submitted), 0, blockSize);
            long landedGuard = ProtectionInformation.guard(protection, ByteBuffer.wrap(image), imgOff, blockSize);
            expected = hex(submittedGuard);
            actual = hex(landedGuard);
            boolean whole = covFrom == blockStart && covTo == blockStart + blockSize;
            if (whole) {
                ProtectionInformation.generate(protection, ByteBuffer.wrap(image, imgOff, blockSize), blockSize, lba, 0,
                        settings.appTag(), tuples, blockIndex * tupleSize);
            }
        } else {
            expected = "submitted data";
            actual = "changed data";
        }
        record(op, new Violation(ViolationKind.GUARD_TAG, blockStart, blockSize, lba, expected, actual, diffAbs,
                op.thread, op.stackText(), "the buffer of " + describeOp(op) + " changed after its protection information"
                + " was generated at submission and before the device took the data (DMA); first differing byte at "
                + "device offset " + diffAbs, log.around(blockStart, blockSize, OperationLog.DEFAULT_AROUND)));
    }

    /** Verifies the tuples against the LBA the data actually lands at (misdirected writes). */
    private void checkTagsAt(IoOp op, byte[] image, long landing, byte[] tuples, int blocks) {
        verifyRange(op, image, 0, landing, tuples, 0, blocks, "write landed at offset " + landing
                + " instead of " + op.offset + " (misdirected)");
    }

    private void readBack(IoOp op, byte[] image, long landing, int span, byte[] tuples) throws IOException {
        byte[] back = new byte[span];
        readMedia(landing, back, 0, span);
        int d = Arrays.mismatch(image, 0, span, back, 0, span);
        if (d >= 0) {
            verifyRange(op, back, 0, landing, tuples, 0, span >> blockShift, "read back after the write landed");
        }
    }

    /** Verifies every tuple of {@code [data[off], +blocks)} at {@code offset}; records each mismatch. */
    private void verifyRange(IoOp op, byte[] data, int off, long offset, byte[] tuples, int tupleOff, int blocks,
                             String where) {
        int i = 0;
        while (i < blocks) {
            ByteBuffer view = ByteBuffer.wrap(data, off + (i << blockShift), (blocks - i) << blockShift);
            TagMismatch m = ProtectionInformation.verify(protection, view, blockSize, (offset >> blockShift) + i, 0,
                    tuples, tupleOff + i * tupleSize, settings.appTag(), 0xFFFF);
            if (m == null) {
                return;
            }
            long blockOffset = m.lba() << blockShift;
            record(op, new Violation(m.kind(), blockOffset, blockSize, m.lba(), m.expectedHex(), m.actualHex(), -1,
                    op.thread, op.stackText(), m.describe() + " — " + where + " (" + describeOp(op) + ")",
                    log.around(blockOffset, blockSize, OperationLog.DEFAULT_AROUND)));
            i += m.intervalIndex() + 1;
        }
    }

    private void readBlocks(IoOp op) throws IOException {
        Scratch s = SCRATCH.get();
        int n = op.length;
        long aStart = op.offset & -blockSize;
        long aEnd = (op.offset + n + blockSize - 1) & -blockSize;
        int span = (int) (aEnd - aStart);
        int blocks = span >> blockShift;
        byte[] data = s.image(span);
        byte[] tuples = piEnabled ? s.tuples(blocks * tupleSize) : null;
        long lba = aStart >> blockShift;
        int written = 0;
        locks.lock(lba, blocks);
        try {
            readMedia(aStart, data, 0, span);
            if (piEnabled) {
                written = piStore.get(lba, tuples, 0, blocks);
            }
        } finally {
            locks.unlock(lba, blocks);
        }
        try {
            if (piEnabled && written > 0) {
                verifyRange(op, data, 0, aStart, tuples, 0, blocks, "media read");
            }
            int head = (int) (op.offset - aStart);
            if (oracle != null) {
                oracle.readCompleted(op.readToken, op.offset, ByteBuffer.wrap(data, head, n), op.thread);
            }
            op.copyToCaller(data, head);
        } catch (IoConsistencyException e) {
            op.noteFailFast(e, describe());
            op.copyToCaller(data, (int) (op.offset - aStart));
        }
    }

    private void record(IoOp op, Violation v) {
        try {
            recorder.record(v);
        } catch (IoConsistencyException e) {
            op.noteFailFast(e, describe());
        }
    }

    private static String describeOp(IoOp op) {
        return (op.async ? "async " : "") + op.mode + " " + op.kind.name().toLowerCase(java.util.Locale.ROOT) + " #"
                + op.seq + " [" + op.offset + ",+" + op.length + ") by " + op.thread + " via " + op.caller.name();
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** Per-thread scratch arrays, so that steady-state transfers allocate nothing. */
    private static final class Scratch {
        private byte[] image = new byte[4096];
        private byte[] tuples = new byte[64];
        private byte[] edge = new byte[4096];

        byte[] image(int n) {
            if (image.length >= n) {
                return image;
            }
            if (n > RETAIN_SCRATCH) {
                return new byte[n];
            }
            image = new byte[Integer.highestOneBit(n - 1) << 1];
            return image;
        }

        byte[] tuples(int n) {
            if (tuples.length >= n) {
                return tuples;
            }
            byte[] t = new byte[n];
            if (n <= RETAIN_SCRATCH / 8) {
                tuples = t;
            }
            return t;
        }

        byte[] edge(int n) {
            if (edge.length < n) {
                edge = new byte[n];
            }
            return edge;
        }
    }
}
