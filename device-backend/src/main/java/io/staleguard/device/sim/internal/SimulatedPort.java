package io.staleguard.device.sim.internal;

import io.staleguard.device.core.internal.FrontEnd;
import io.staleguard.device.core.internal.IoOp;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.ShortTransferTracker;
import io.staleguard.device.oracle.ViolationRecorder;
import io.staleguard.device.sim.MediaPort;
import io.staleguard.device.sim.PathOperation;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A simulated device's {@link MediaPort}: every call goes to the device's front end. Bound once,
 * right after the front end is built (the front end's route needs the port first).
 */
public final class SimulatedPort implements MediaPort {

    private FrontEnd core;

    public void bind(FrontEnd frontEnd) {
        this.core = frontEnd;
    }

    @Override
    public void transferToMedia(PathOperation op) throws IOException {
        core.transferToMedia((IoOp) op);
    }

    @Override
    public void writeBack(long offset, byte[] blocks) throws IOException {
        core.writeBack(offset, blocks);
    }

    @Override
    public void readRaw(long offset, ByteBuffer dst) {
        core.readRaw(offset, dst);
    }

    @Override
    public void readMediaVerified(long offset, byte[] dst, int off, int len, String who) {
        core.readMediaVerified(offset, dst, off, len, who);
    }

    @Override
    public void checkTakenAgainstSubmission(PathOperation op, byte[] image, int head) {
        core.checkTakenAgainstSubmission((IoOp) op, image, head);
    }

    @Override
    public HistoryOracle oracle() {
        return core.oracle();
    }

    @Override
    public ViolationRecorder recorder() {
        return core.recorder();
    }

    @Override
    public ShortTransferTracker shortTransfers() {
        return core.shortTransfers();
    }

    @Override
    public int logicalBlockSize() {
        return core.logicalBlockSize();
    }

    @Override
    public long capacity() {
        return core.capacity();
    }

    @Override
    public long seed() {
        return core.seed();
    }

    @Override
    public ProtectionFormat protection() {
        return core.protection();
    }

    @Override
    public String describe() {
        return core.describe();
    }
}
