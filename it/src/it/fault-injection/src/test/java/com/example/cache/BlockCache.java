package com.example.cache;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * A write-through block cache over a raw device, filled on read (written against Staleguard's {@code BlockDevice},
 * so it lives with the tests). The buggy variant takes a read error for "never
 * written" and serves (and caches) zeros; its twin propagates the error. Every block served is reported to the
 * device's {@code checkServed}, as a cache under Staleguard should.
 */
public final class BlockCache {

    private final BlockDevice device;
    private final int blockSize;
    private final boolean swallowErrors;
    private final Map<Long, byte[]> cache = new HashMap<>();

    public BlockCache(BlockDevice device, boolean swallowErrors) {
        this.device = device;
        this.blockSize = device.logicalBlockSize();
        this.swallowErrors = swallowErrors;
    }

    /** Writes block {@code n} through; the next read fills the cache again. */
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
        byte[] block = cache.get(n);
        if (block == null) {
            block = new byte[blockSize];
            ByteBuffer dst = ByteBuffer.wrap(block);
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
                if (!swallowErrors) {
                    throw e;
                }
                block = new byte[blockSize];
            }
            cache.put(n, block);
        }
        device.checkServed(n * blockSize, ByteBuffer.wrap(block));
        return block.clone();
    }
}
