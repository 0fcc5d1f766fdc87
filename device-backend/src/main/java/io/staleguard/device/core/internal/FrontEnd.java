package io.staleguard.device.core.internal;

import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.TimelineEvent;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationLog;
import io.staleguard.device.core.DeviceSettings;
import io.staleguard.device.core.VerifyingDevice;
import io.staleguard.device.FileLocator;
import io.staleguard.device.hooks.DeviceHooks;
import io.staleguard.device.hooks.OpKind;
import io.staleguard.device.integrity.PiStore;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.InitialContent;
import io.staleguard.device.oracle.OperationLog;
import io.staleguard.device.oracle.ShortTransferTracker;
import io.staleguard.device.oracle.ViolationRecorder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The verifying front end every backend shares, composed of its stages over a backend's
 * {@link Media}: {@link CallChecks}, then {@link TransferPlanner} (submission), then
 * {@link OperationScheduler} (hooks, delay, sync or async), which at the DMA moment hands the
 * operation to the backend's {@link TransferRoute} or to {@link WriteLanding} and
 * {@link ReadVerification}. The front end owns the PI store, the oracle, the tracker and the
 * locks, so a backend stores data only.
 *
 * <p>Thread safe; no device-wide lock on the I/O path.
 */
public final class FrontEnd implements VerifyingDevice {

    private final CoreState s;
    private final DeviceHooks hooks = new DeviceHooks();
    private final CallChecks checks;
    private final TransferPlanner planner;
    private final OperationScheduler scheduler;
    private final WriteLanding landing;
    private final ReadVerification reads;
    private final TransferRoute route;

    /**
     * @param settings the validated options
     * @param initial  what the oracle assumes of never-written blocks (a pre-existing file: unknown)
     * @param media    the backend's storage
     * @param route    how operations reach the media at their DMA moment
     * @param factory  makes each call's operation
     */
    public FrontEnd(DeviceSettings settings, InitialContent initial, Media media, TransferRoute route,
                    OperationFactory factory) {
        this(settings, initial, media, route, factory, FaultPoint.NONE);
    }

    /**
     * A front end whose stages ask {@code faults} whether an injected fault fires (a simulated device's).
     *
     * @param faults the device's fault point, {@link FaultPoint#NONE} for none
     */
    public FrontEnd(DeviceSettings settings, InitialContent initial, Media media, TransferRoute route,
                    OperationFactory factory, FaultPoint faults) {
        this.s = new CoreState(settings, initial, media, faults);
        this.route = route;
        ByteArrayPool pool = new ByteArrayPool();
        TupleVerification tuples = new TupleVerification(s);
        this.checks = new CallChecks(s);
        this.planner = new TransferPlanner(s, hooks, factory, pool);
        this.landing = new WriteLanding(s, planner, tuples);
        this.reads = new ReadVerification(s, tuples);
        this.scheduler = new OperationScheduler(s, hooks, route, landing, reads, pool);
    }

    // ------------------------------------------------------------------ accessors

    @Override
    public int logicalBlockSize() {
        return s.blockSize;
    }

    @Override
    public long capacity() {
        return s.capacity;
    }

    @Override
    public ProtectionFormat protection() {
        return s.protection;
    }

    @Override
    public ViolationLog violations() {
        return s.recorder;
    }

    @Override
    public ViolationRecorder recorder() {
        return s.recorder;
    }

    @Override
    public HistoryOracle oracle() {
        return s.oracle;
    }

    @Override
    public ShortTransferTracker shortTransfers() {
        return s.tracker;
    }

    @Override
    public OperationLog operationLog() {
        return s.log;
    }

    @Override
    public DeviceHooks hooks() {
        return hooks;
    }

    @Override
    public long seed() {
        return s.seed;
    }

    @Override
    public long operations() {
        return planner.operations();
    }

    @Override
    public long bytesTransferred() {
        return scheduler.bytesTransferred();
    }

    @Override
    public boolean isClosed() {
        return s.closed.get();
    }

    /** The options this device was built with. */
    public DeviceSettings settings() {
        return s.settings;
    }

    /** The PI store (tuples of every written block), or null when protection is off. */
    public PiStore piStore() {
        return s.piStore;
    }

    @Override
    public String describe() {
        return s.describe();
    }

    @Override
    public String toString() {
        return describe();
    }

    // ------------------------------------------------------------------ the API

    @Override
    public int read(ByteBuffer dst, long offset, IoMode mode, IoCaller caller) throws IOException {
        long n = checks.check(dst, true, offset, mode, caller);
        return (int) scheduler.runSync(planner.submitRead(dst, null, n, offset, mode, caller, false));
    }

    @Override
    public long read(ByteBuffer[] dsts, long offset, IoMode mode, IoCaller caller) throws IOException {
        long n = checks.check(dsts, true, offset, mode, caller);
        return scheduler.runSync(planner.submitRead(null, dsts.clone(), n, offset, mode, caller, false));
    }

    @Override
    public int write(ByteBuffer src, long offset, IoMode mode, IoCaller caller) throws IOException {
        long n = checks.check(src, false, offset, mode, caller);
        return (int) scheduler.runSync(planner.submitWrite(src, null, n, offset, mode, caller, false));
    }

    @Override
    public long write(ByteBuffer[] srcs, long offset, IoMode mode, IoCaller caller) throws IOException {
        long n = checks.check(srcs, false, offset, mode, caller);
        return scheduler.runSync(planner.submitWrite(null, srcs.clone(), n, offset, mode, caller, false));
    }

    @Override
    public CompletableFuture<Integer> readAsync(ByteBuffer dst, long offset, IoMode mode, IoCaller caller) {
        try {
            long n = checks.check(dst, true, offset, mode, caller);
            return scheduler.runAsync(planner.submitRead(dst, null, n, offset, mode, caller, true));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Integer> writeAsync(ByteBuffer src, long offset, IoMode mode, IoCaller caller) {
        try {
            long n = checks.check(src, false, offset, mode, caller);
            return scheduler.runAsync(planner.submitWrite(src, null, n, offset, mode, caller, true));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void flush() throws IOException {
        checks.checkOpen();
        flushRouteAndMedia(null);
        // On the oracle's clock, so that the flush sits between the events around it in a timeline.
        HistoryOracle oracle = s.oracle;
        s.log.append(oracle != null ? oracle.instant() : System.nanoTime(), Thread.currentThread().getName(),
                TimelineEvent.Type.FLUSH, 0, 0, 0, "flush");
        s.tracker.flushedBy(null, Thread.currentThread().getName());
        s.media.flushed();
    }

    @Override
    public void force(IoCaller caller) throws IOException {
        checks.checkOpen();
        flushRouteAndMedia(caller);
        s.tracker.flushedBy(caller, Thread.currentThread().getName());
    }

    @Override
    public void callerOpened(IoCaller caller) {
        route.callerOpened(caller);
    }

    @Override
    public void callerClosed(IoCaller caller) {
        s.tracker.closed(caller);
        route.callerClosed(caller);
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
        HistoryOracle oracle = s.oracle;
        if (oracle == null) {
            return List.of();
        }
        return oracle.checkServed(offset, served);
    }

    @Override
    public ViolationLog finish() {
        route.drain();
        s.tracker.finish();
        return s.recorder;
    }

    @Override
    public void close() throws IOException {
        if (!s.closed.compareAndSet(false, true)) {
            return;
        }
        hooks.releaseAll();
        scheduler.shutdown();
        try {
            route.drain();
            s.tracker.finish();
        } finally {
            try {
                route.close();
            } finally {
                s.media.close();
            }
        }
    }

    @Override
    public void locateFiles(FileLocator locator) {
        s.recorder.setLocator(locator);
        hooks.locateFiles(locator);
    }

    @Override
    public void readRaw(long offset, ByteBuffer dst) {
        s.raw.readRaw(offset, dst);
    }

    // ------------------------------------------------------------------ power cycles (crash states)

    /**
     * Waits until no asynchronous operation is in flight, up to {@code timeoutMillis}.
     *
     * @throws IllegalStateException naming the operations still in flight (a hook holding one, a
     *                               caller that never lets it finish)
     */
    public void quiesce(long timeoutMillis) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (scheduler.inFlight() > 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(scheduler.inFlight() + " asynchronous operation(s) still in flight on "
                        + s.describe() + " after " + timeoutMillis + " ms; release the hooks holding them"
                        + " and wait for their futures before a power cycle");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
    }

    /**
     * Runs {@code whileLocked} with every stripe lock held, so that no transfer sees half of it
     * and the media's plain fields are published to every later transfer (each holds its stripes).
     */
    public void underAllLocks(Runnable whileLocked) {
        s.locks.lock(0, Integer.MAX_VALUE);
        try {
            whileLocked.run();
        } finally {
            s.locks.unlock(0, Integer.MAX_VALUE);
        }
    }

    /**
     * A power cycle: under every stripe lock, {@code switchMedia} puts the crash state's media in
     * place; then the oracle forgets every history ({@code initial} describes the media now) and
     * the short-transfer tracker every pending transfer. Callers {@link #quiesce} first and have
     * dropped the I/O path's volatile state. The recorded violations and the timeline are kept.
     */
    public void powerCycle(Runnable switchMedia, InitialContent initial) {
        java.util.Objects.requireNonNull(switchMedia, "switchMedia");
        java.util.Objects.requireNonNull(initial, "initial");
        underAllLocks(() -> {
            switchMedia.run();
            HistoryOracle oracle = s.oracle;
            if (oracle != null) {
                oracle.restart(initial);
            }
            s.tracker.reset();
        });
        HistoryOracle oracle = s.oracle;
        s.log.append(oracle != null ? oracle.instant() : System.nanoTime(), Thread.currentThread().getName(),
                TimelineEvent.Type.CRASH, 0, 0, 0, "power cycle");
    }

    /** Suspends (true) or restores (false) the seeded DMA delays: crash-state recovery runs at full speed. */
    public void suspendDelays(boolean suspended) {
        s.delaysSuspended = suspended;
    }

    /** Whether DMA delays are suspended. */
    public boolean delaysSuspended() {
        return s.delaysSuspended;
    }

    // ------------------------------------------------------------------ for backends and their I/O paths

    /**
     * The transfer straight to or from the media, verified where the data lands and told to the
     * oracle: what every operation gets unless its route took it.
     */
    public void transferToMedia(IoOp op) throws IOException {
        if (op.kind == OpKind.WRITE) {
            landing.land(op);
        } else {
            reads.readBlocks(op);
        }
    }

    /** See {@link WriteLanding#checkTakenAgainstSubmission}. */
    public void checkTakenAgainstSubmission(IoOp op, byte[] image, int head) {
        landing.checkTakenAgainstSubmission(op, image, head);
    }

    /** See {@link ReadVerification#readMediaVerified}. */
    public void readMediaVerified(long offset, byte[] dst, int off, int len, String who) {
        reads.readMediaVerified(offset, dst, off, len, who);
    }

    /** See {@link RawMedia#writeRawBlocks}. */
    public void writeRawBlocks(long offset, byte[] data, boolean regenerateTuples, int appTag) throws IOException {
        s.raw.writeRawBlocks(offset, data, regenerateTuples, appTag);
    }

    /**
     * A page cache's writeback of whole blocks (the simulated port's {@code writeBack}): stored with fresh
     * tuples carrying the device's application tag, unless an injected fault fails it (a failing fsync's
     * window), loses it, or lands it elsewhere with the tuples of its address.
     */
    public void writeBack(long offset, byte[] blocks) throws IOException {
        FaultPoint f = s.faults;
        if (f.active()) {
            FaultHandler h = f.handler();
            h.beforeWriteback(offset, blocks.length);
            if (h.losesWriteback(offset, blocks.length)) {
                return;
            }
            long landing = h.landingWriteback(offset, blocks.length);
            if (landing != offset) {
                s.raw.writeMisdirected(offset, landing, blocks, s.appTag);
                return;
            }
        }
        s.raw.writeRawBlocks(offset, blocks, true, s.appTag);
    }

    /**
     * Every flush and force counts, in call order, against the injected fsync errors. A failing one runs the
     * route's force with {@code failWriteback} inside the failing window (where every writeback throws EIO): a
     * page cache fails its pages the Linux way (clean and cached, the error kept for each open file) and the route
     * throws to this caller; with nothing to write back the device's FLUSH itself failed, and the route throws too.
     * The media is not flushed then.
     */
    private void flushRouteAndMedia(IoCaller caller) throws IOException {
        FaultPoint f = s.faults;
        if (f.active() && f.handler().failsFlush(Thread.currentThread().getName())) {
            FaultHandler h = f.handler();
            long mark = h.openFailingWindow();
            try {
                route.force(caller, true);
            } catch (java.io.UncheckedIOException e) {
                // A path that does not handle the failed writeback lets it through: this fsync fails.
                throw new IOException(FaultHandler.EIO, e.getCause());
            } finally {
                h.closeFailingWindow(mark);
            }
            // Every route's force fails when asked to; a route that did not is still a failed flush.
            throw new IOException(FaultHandler.EIO);
        }
        route.force(caller, false);
        s.media.flush();
    }
}
