package io.staleguard.device.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.FileLocator;
import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationLog;
import io.staleguard.device.hooks.DeviceHooks;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.OperationLog;
import io.staleguard.device.oracle.ShortTransferTracker;
import io.staleguard.device.oracle.ViolationRecorder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apiguardian.api.API;

/**
 * A public device type that hands every call to the verifying front end it was built around. A
 * backend class (the simulated device, the real file and loop devices) extends it to get the
 * whole {@link VerifyingDevice} API and adds only what is its own; it composes the front end and
 * overrides nothing, so each method here does exactly what the front end does.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public abstract class ForwardingDevice implements VerifyingDevice {

    private final VerifyingDevice core;

    /** @param core the front end this device is (built by the backend's builder) */
    protected ForwardingDevice(VerifyingDevice core) {
        this.core = Objects.requireNonNull(core, "core");
    }

    @Override
    public final int logicalBlockSize() {
        return core.logicalBlockSize();
    }

    @Override
    public final long capacity() {
        return core.capacity();
    }

    @Override
    public final ProtectionFormat protection() {
        return core.protection();
    }

    @Override
    public final int read(ByteBuffer dst, long offset, IoMode mode, IoCaller caller) throws IOException {
        return core.read(dst, offset, mode, caller);
    }

    @Override
    public final int write(ByteBuffer src, long offset, IoMode mode, IoCaller caller) throws IOException {
        return core.write(src, offset, mode, caller);
    }

    @Override
    public final long read(ByteBuffer[] dsts, long offset, IoMode mode, IoCaller caller) throws IOException {
        return core.read(dsts, offset, mode, caller);
    }

    @Override
    public final long write(ByteBuffer[] srcs, long offset, IoMode mode, IoCaller caller) throws IOException {
        return core.write(srcs, offset, mode, caller);
    }

    @Override
    public final CompletableFuture<Integer> readAsync(ByteBuffer dst, long offset, IoMode mode, IoCaller caller) {
        return core.readAsync(dst, offset, mode, caller);
    }

    @Override
    public final CompletableFuture<Integer> writeAsync(ByteBuffer src, long offset, IoMode mode, IoCaller caller) {
        return core.writeAsync(src, offset, mode, caller);
    }

    @Override
    public final void flush() throws IOException {
        core.flush();
    }

    @Override
    public final List<Violation> checkServed(long offset, ByteBuffer served) {
        return core.checkServed(offset, served);
    }

    @Override
    public final ViolationLog violations() {
        return core.violations();
    }

    @Override
    public final ViolationLog finish() {
        return core.finish();
    }

    @Override
    public final String describe() {
        return core.describe();
    }

    @Override
    public final void close() throws IOException {
        core.close();
    }

    @Override
    public final ViolationRecorder recorder() {
        return core.recorder();
    }

    @Override
    public final HistoryOracle oracle() {
        return core.oracle();
    }

    @Override
    public final ShortTransferTracker shortTransfers() {
        return core.shortTransfers();
    }

    @Override
    public final OperationLog operationLog() {
        return core.operationLog();
    }

    @Override
    public final DeviceHooks hooks() {
        return core.hooks();
    }

    @Override
    public final long seed() {
        return core.seed();
    }

    @Override
    public final long operations() {
        return core.operations();
    }

    @Override
    public final long bytesTransferred() {
        return core.bytesTransferred();
    }

    @Override
    public final boolean isClosed() {
        return core.isClosed();
    }

    @Override
    public final void force(IoCaller caller) throws IOException {
        core.force(caller);
    }

    @Override
    public final void callerClosed(IoCaller caller) {
        core.callerClosed(caller);
    }

    @Override
    public final void callerOpened(IoCaller caller) {
        core.callerOpened(caller);
    }

    @Override
    public final void locateFiles(FileLocator locator) {
        core.locateFiles(locator);
    }

    @Override
    public final void readRaw(long offset, ByteBuffer dst) {
        core.readRaw(offset, dst);
    }

    @Override
    public final String toString() {
        return core.describe();
    }
}
