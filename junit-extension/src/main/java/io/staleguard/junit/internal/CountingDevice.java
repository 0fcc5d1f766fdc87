package io.staleguard.junit.internal;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.ViolationLog;
import io.staleguard.device.integrity.ProtectionFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * A pass-through {@link BlockDevice} that counts the calls and bytes of a test for its report. Every call goes
 * to the wrapped device unchanged (same buffers, same callers), so detection is unaffected.
 */
public final class CountingDevice implements BlockDevice {

    private final BlockDevice device;
    private final LongAdder operations = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    /** Wraps {@code device}. */
    public CountingDevice(BlockDevice device) {
        this.device = device;
    }

    /** The wrapped device. */
    public BlockDevice unwrap() {
        return device;
    }

    /** Calls counted so far. */
    public long operations() {
        return operations.sum();
    }

    /** Bytes transferred by counted calls so far. */
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
