package io.staleguard.device.core.internal;

import io.staleguard.device.hooks.DeviceHooks;
import io.staleguard.device.hooks.OpKind;
import io.staleguard.device.hooks.Stage;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.IoConsistencyException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a submitted operation to its end: hook {@link Stage#SUBMIT}, the route's submission, the
 * seeded DMA delay, hook {@link Stage#DMA}, the transfer (through the route, else landed or read
 * by the front end), hook {@link Stage#COMPLETE}, then completion: the oracle, the caller's buffer
 * positions and the short-transfer tracker. A synchronous call runs all of it on the calling
 * thread (blocked in its call anyway, as in a real {@code pwrite}); an asynchronous one hands the
 * delay and everything after it to the {@link DmaEngine}'s workers, in FIFO or reordered order.
 *
 * <p>Violations are recorded, never thrown from I/O calls, unless fail-fast is on: then the call
 * during which the first failing violation was found throws (a synchronous call) or its future
 * completes exceptionally, after the I/O itself finished.
 */
final class OperationScheduler {

    private static final long SPIN_LIMIT_NANOS = 20_000;

    private final CoreState s;
    private final DeviceHooks hooks;
    private final TransferRoute route;
    private final WriteLanding landing;
    private final ReadVerification reads;
    private final ByteArrayPool pool;
    private final LongAdder bytes = new LongAdder();
    private volatile DmaEngine dma;

    OperationScheduler(CoreState state, DeviceHooks hooks, TransferRoute route, WriteLanding landing,
                       ReadVerification reads, ByteArrayPool pool) {
        this.s = state;
        this.hooks = hooks;
        this.route = route;
        this.landing = landing;
        this.reads = reads;
        this.pool = pool;
    }

    /** Bytes transferred so far. */
    long bytesTransferred() {
        return bytes.sum();
    }

    /** Runs {@code op} on the calling thread; returns the caller's count, or throws the fail-fast exception. */
    long runSync(IoOp op) throws IOException {
        if (op.length > 0) {
            if (hooks.active()) {
                hooks.arriveSync(op.info(hooks.files()), Stage.SUBMIT);
            }
            try {
                route.submitted(op);
            } catch (RuntimeException e) {
                abandon(op);
                releaseSnapshot(op);
                throw e;
            }
            if (op.delayNanos > 0) {
                pause(op.delayNanos);
            }
            if (hooks.active()) {
                hooks.arriveSync(op.info(hooks.files()), Stage.DMA);
            }
            try {
                transfer(op);
            } catch (IOException | RuntimeException e) {
                abandon(op);
                throw e;
            }
            if (hooks.active()) {
                hooks.arriveSync(op.info(hooks.files()), Stage.COMPLETE);
            }
        }
        complete(op);
        if (op.failFast != null) {
            throw op.failFast;
        }
        return op.result;
    }

    /** Runs {@code op} on the device's workers; the future completes with the caller's count. */
    CompletableFuture<Integer> runAsync(IoOp op) {
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
                route.submitted(op);
            } catch (RuntimeException e) {
                abandon(op);
                releaseSnapshot(op);
                f.completeExceptionally(e);
                return;
            }
            engine.submit(job);
        };
        if (!hooks.active() || !hooks.parkAsync(op.info(hooks.files()), Stage.SUBMIT, submit)) {
            submit.run();
        }
        return f;
    }

    /** Asynchronous operations submitted and not done yet (a hook may hold some of them). */
    int inFlight() {
        DmaEngine engine = dma;
        return engine == null ? 0 : engine.inFlight();
    }

    /** Waits up to 10 s for asynchronous operations in flight, then stops the workers. */
    void shutdown() {
        DmaEngine engine = dma;
        if (engine != null) {
            engine.shutdown(10_000);
        }
    }

    /**
     * Waits out a synchronous call's DMA delay. Parking cannot wait less than tens of
     * microseconds, so short delays are spun.
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

    private void atDma(IoOp op, Runnable done) {
        if (hooks.active() && hooks.parkAsync(op.info(hooks.files()), Stage.DMA, () -> engine().execute(() -> dmaThenComplete(op, done)))) {
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
        if (hooks.active() && hooks.parkAsync(op.info(hooks.files()), Stage.COMPLETE, () -> engine().execute(() -> finishAsync(op, done)))) {
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
                    e = new DmaEngine(s.settings.workers(), s.settings.completionOrder());
                    dma = e;
                }
            }
        }
        return e;
    }

    private void transfer(IoOp op) throws IOException {
        try {
            if (!route.transfer(op)) {
                // The landing and the read are called here, not through the front end, to keep the
                // hot path's call chain short enough for the JIT to inline whole.
                if (op.kind == OpKind.WRITE) {
                    landing.land(op);
                } else {
                    reads.readBlocks(op);
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw pathReadFailed(e);
        } finally {
            releaseSnapshot(op);
        }
    }

    /**
     * A path's own media read failed (an injected read error in a page-cache fill): the call fails with the I/O
     * error, as read(2) does, not with the path's wrapper.
     */
    private static IOException pathReadFailed(java.io.UncheckedIOException e) {
        if (e.getCause() != null && FaultHandler.EIO.equals(e.getCause().getMessage())) {
            return e.getCause();
        }
        throw e;
    }

    private void abandon(IoOp op) {
        HistoryOracle oracle = s.oracle;
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
        HistoryOracle oracle = s.oracle;
        if (op.kind == OpKind.WRITE) {
            if (oracle != null && op.writeId != 0) {
                oracle.writeCompleted(op.writeId);
            }
            op.advance(op.length);
            bytes.add(op.length);
            try {
                if (s.tracker.watchesWrites()) {
                    // A caller whose write failed part way writes again: it moved on.
                    s.tracker.wrote(op.caller, op.thread, op.offset, op.length);
                }
                if (op.length < op.requested) {
                    s.tracker.afterWrite(op.caller, op.thread, op.offset, op.requested, op.length, op.buffers());
                }
            } catch (IoConsistencyException e) {
                op.noteFailFast(e, s.describe());
            }
        } else {
            op.advance(op.length);
            bytes.add(op.length);
            try {
                s.tracker.afterRead(op.caller, op.thread, op.offset, op.requested, op.result, op.endOfData, op.async);
            } catch (IoConsistencyException e) {
                op.noteFailFast(e, s.describe());
            }
        }
    }
}
