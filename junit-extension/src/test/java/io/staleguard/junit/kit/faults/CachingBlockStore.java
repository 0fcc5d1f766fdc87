package io.staleguard.junit.kit.faults;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * A user-level block cache over a raw device, written through and filled on read, as storage engines keep one.
 * The buggy variant swallows a read error and serves (and caches) a block of zeros, as code that treats
 * {@code IOException} on read as "not written yet" does; its twin propagates the error and caches nothing.
 * Every block it serves is reported to the device's {@code checkServed}, as a cache under Staleguard should.
 */
public final class CachingBlockStore {

    private final BlockDevice device;
    private final int blockSize;
    private final boolean buggy;
    private final Map<Long, byte[]> cache = new HashMap<>();

    public CachingBlockStore(BlockDevice device, boolean buggy) {
        this.device = device;
        this.blockSize = device.logicalBlockSize();
        this.buggy = buggy;
    }

    /** Writes block {@code n} through to the device; the cached copy is dropped, the next read fills it. */
    public void write(long n, byte[] block) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(block);
        long at = n * blockSize;
        while (src.hasRemaining()) {
            at += device.write(src, at, IoMode.DIRECT);
        }
        cache.remove(n);
    }

    /** Block {@code n}, from the cache or the device. */
    public byte[] read(long n) throws IOException {
        byte[] cached = cache.get(n);
        if (cached == null) {
            cached = new byte[blockSize];
            ByteBuffer dst = ByteBuffer.wrap(cached);
            long at = n * blockSize;
            try {
                while (dst.hasRemaining()) {
                    int got = device.read(dst, at, IoMode.DIRECT);
                    if (got < 0) {
                        break;
                    }
                    at += got;
                }
            } catch (IOException e) {
                if (!buggy) {
                    throw e;
                }
                cached = new byte[blockSize]; // "never written": the bug
            }
            cache.put(n, cached);
        }
        device.checkServed(n * blockSize, ByteBuffer.wrap(cached));
        return cached.clone();
    }
}
