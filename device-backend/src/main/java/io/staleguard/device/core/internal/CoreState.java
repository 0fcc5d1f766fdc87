package io.staleguard.device.core.internal;

import io.staleguard.device.Violation;
import io.staleguard.device.core.DeviceSettings;
import io.staleguard.device.integrity.PiStore;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.InitialContent;
import io.staleguard.device.oracle.IoConsistencyException;
import io.staleguard.device.oracle.OperationLog;
import io.staleguard.device.oracle.ShortTransferTracker;
import io.staleguard.device.oracle.ViolationRecorder;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every stage of one front end reads: the geometry, the detectors (recorder, oracle,
 * tracker, PI store), the media with its stripe locks, and whether the device was closed. Built
 * once per device; the stages copy the fields they use on the hot path.
 */
final class CoreState {

    final DeviceSettings settings;
    final int blockSize;
    final int blockShift;
    final long capacity;
    final ProtectionFormat protection;
    final boolean piEnabled;
    final int tupleSize;
    final int appTag;
    final long seed;
    final ViolationRecorder recorder;
    final OperationLog log;
    final HistoryOracle oracle;
    final ShortTransferTracker tracker;
    final PiStore piStore;
    final Media media;
    final RawMedia raw;
    /** Computes guards when first needed (the PI format's guard is not itself CRC-32C and the media is ours alone). */
    final DeferredGuards deferred;
    final StripeLocks locks = new StripeLocks();
    final AtomicBoolean closed = new AtomicBoolean();
    /** Injected faults; {@link FaultPoint#NONE} on real backends. */
    final FaultPoint faults;
    /** Whether a PI mismatch on read fails the read (a DIX host adapter) instead of only being recorded. */
    final boolean failReadOnPiMismatch;
    /** While set, operations get no DMA delay (crash-state recovery runs); read only when delays are on. */
    volatile boolean delaysSuspended;

    CoreState(DeviceSettings settings, InitialContent initial, Media media, FaultPoint faults) {
        this.settings = settings;
        this.faults = java.util.Objects.requireNonNull(faults, "faults");
        this.failReadOnPiMismatch = settings.piMismatch() == io.staleguard.device.core.PiMismatch.FAIL_READ;
        this.blockSize = settings.blockSize();
        this.blockShift = Integer.numberOfTrailingZeros(blockSize);
        this.capacity = settings.capacity();
        this.protection = settings.protection();
        this.piEnabled = protection.enabled();
        this.tupleSize = piEnabled ? protection.tupleSize() : 0;
        this.appTag = settings.appTag();
        this.seed = settings.seed();
        this.media = media;
        this.recorder = new ViolationRecorder(settings.retainedViolations());
        this.recorder.setFailFast(settings.failFast());
        this.log = new OperationLog();
        this.oracle = settings.oracleEnabled()
                ? new HistoryOracle(blockSize, capacity, recorder, log, null, initial) : null;
        this.tracker = new ShortTransferTracker(blockSize, recorder, log, this::readRaw);
        // Only the front end, under its stripe locks, reaches simulated media's tuples, so that store needs no
        // lock of its own; real backends also write tuples under a mapping's monitor.
        this.piStore = !piEnabled ? null : media.changesOnlyThroughFrontEnd()
                ? PiStore.forFormat(protection, capacity >> blockShift, locks)
                : PiStore.forFormat(protection, capacity >> blockShift);
        this.deferred = new DeferredGuards(this);
        this.raw = new RawMedia(this);
    }

    private void readRaw(long offset, java.nio.ByteBuffer dst) {
        raw.readRaw(offset, dst);
    }

    /** The backend part of {@link #describe()}. */
    String backend() {
        String d = media.describe();
        return d != null ? d : settings.backend();
    }

    /** The device's description: backend, geometry, seed and every timing option. */
    String describe() {
        DeviceSettings s = settings;
        return backend() + "[capacity " + capacity + " B, block " + blockSize + " B, " + protection.name()
                + ", seed 0x" + Long.toHexString(seed) + ", short-transfer p=" + s.shortTransferProbability()
                + ", DMA delay " + s.dmaDelayMinNanos() + ".." + s.dmaDelayMaxNanos() + " ns, "
                + s.workers() + " worker(s), " + s.completionOrder()
                + (s.failFast() ? ", fail-fast" : "") + "]";
    }

    /** Records {@code v}; under fail-fast the operation keeps the exception, thrown once the I/O finished. */
    void report(IoOp op, Violation v) {
        try {
            recorder.record(v);
        } catch (IoConsistencyException e) {
            op.noteFailFast(e, describe());
        }
    }
}
