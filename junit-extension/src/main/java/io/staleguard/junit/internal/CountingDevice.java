package io.staleguard.junit.internal;

import io.staleguard.device.FileLocator;
import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.ViolationLog;
import io.staleguard.device.core.VerifyingDevice;
import io.staleguard.device.hooks.DeviceHooks;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.OperationLog;
import io.staleguard.device.oracle.ShortTransferTracker;
import io.staleguard.device.oracle.ViolationRecorder;
import io.staleguard.device.integrity.ProtectionFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * A pass-through {@link VerifyingDevice} that counts the calls and bytes of a test for its report. Every call goes
 * to the wrapped device unchanged (same buffers, same callers), so detection is unaffected. It is a verifying device
 * itself so that a channel opened on it reaches the device's own judgement at a channel's {@code force} and
 * {@code close} (short transfers), as a channel on the device does.
 */
public final class CountingDevice implements VerifyingDevice {

    private final VerifyingDevice device;
    private final LongAdder operations = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    /** Wraps {@code device}. */
    public CountingDevice(VerifyingDevice device) {
        this.device = java.util.Objects.requireNonNull(device, "device");
    }

    /** The wrapped device. */
    public VerifyingDevice unwrap() {
        return device;
    }

    /** Calls made through this view so far (the device's own {@link #operations()} counts every caller). */
    public long calls() {
        return operations.sum();
    }

    /** Bytes transferred by the calls made through this view so far. */
    public long bytes() {
        return bytes.sum();
    }

    private <T extends Number> T count(T n) {
        operations.increment();
        if (n.longValue() > 0) {
            bytes.add(n.longValue());
        }
        return n;
    }

    private CompletableFuture<Integer> count(CompletableFuture<Integer> f) {
        return f.whenComplete((n, e) -> {
            if (n != null) {
                count(n);
            }
        });
    }

    @Override
    public int logicalBlockSize() {
        return device.logicalBlockSize();
    }

    @Override
    public long capacity() {
        return device.capacity();
    }

    @Override
    public ProtectionFormat protection() {
        return device.protection();
    }

    @Override
    public int read(ByteBuffer dst, long offset, IoMode mode, IoCaller caller) throws IOException {
        return count(device.read(dst, offset, mode, caller));
    }

    @Override
    public int write(ByteBuffer src, long offset, IoMode mode, IoCaller caller) throws IOException {
        return count(device.write(src, offset, mode, caller));
    }

    @Override
    public long read(ByteBuffer[] dsts, long offset, IoMode mode, IoCaller caller) throws IOException {
        return count(device.read(dsts, offset, mode, caller));
    }

    @Override
    public long write(ByteBuffer[] srcs, long offset, IoMode mode, IoCaller caller) throws IOException {
        return count(device.write(srcs, offset, mode, caller));
    }

    @Override
    public CompletableFuture<Integer> readAsync(ByteBuffer dst, long offset, IoMode mode, IoCaller caller) {
        return count(device.readAsync(dst, offset, mode, caller));
    }

    @Override
    public CompletableFuture<Integer> writeAsync(ByteBuffer src, long offset, IoMode mode, IoCaller caller) {
        return count(device.writeAsync(src, offset, mode, caller));
    }

    @Override
    public void flush() throws IOException {
        device.flush();
    }

    @Override
    public java.util.List<io.staleguard.device.Violation> checkServed(long offset, ByteBuffer served) {
        return device.checkServed(offset, served);
    }

    @Override
    public ViolationLog violations() {
        return device.violations();
    }

    @Override
    public ViolationLog finish() {
        return device.finish();
    }

    @Override
    public ViolationRecorder recorder() {
        return device.recorder();
    }

    @Override
    public HistoryOracle oracle() {
        return device.oracle();
    }

    @Override
    public ShortTransferTracker shortTransfers() {
        return device.shortTransfers();
    }

    @Override
    public OperationLog operationLog() {
        return device.operationLog();
    }

    @Override
    public DeviceHooks hooks() {
        return device.hooks();
    }

    @Override
    public long seed() {
        return device.seed();
    }

    @Override
    public long operations() {
        return device.operations();
    }

    @Override
    public long bytesTransferred() {
        return device.bytesTransferred();
    }

    @Override
    public boolean isClosed() {
        return device.isClosed();
    }

    @Override
    public void force(IoCaller caller) throws IOException {
        device.force(caller);
    }

    @Override
    public void callerClosed(IoCaller caller) {
        device.callerClosed(caller);
    }

    @Override
    public void callerOpened(IoCaller caller) {
        device.callerOpened(caller);
    }

    @Override
    public void locateFiles(FileLocator locator) {
        device.locateFiles(locator);
    }

    @Override
    public void readRaw(long offset, ByteBuffer dst) {
        device.readRaw(offset, dst);
    }

    @Override
    public String describe() {
        return device.describe();
    }

    @Override
    public void close() throws IOException {
        device.close();
    }

    @Override
    public String toString() {
        return device.toString();
    }
}
