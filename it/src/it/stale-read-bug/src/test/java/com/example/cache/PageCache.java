package com.example.cache;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * A user-level page cache over a block device. The bug (as in ArcadeDB #4925): a miss inserts what
 * it read even when a write of the page completed while the read ran, so the racing read poisons
 * the cache with the old version. Every page served from the cache is shown to the device's
 * history oracle (in a real project the checkServed call sits behind a test hook).
 */
public final class PageCache {

    public static final int PAGE = 4096;

    private final BlockDevice device;
    private final Map<Long, byte[]> pages = new HashMap<>();

    public PageCache(BlockDevice device) {
        this.device = device;
    }

    public byte[] get(long page) throws IOException {
        synchronized (this) {
            byte[] cached = pages.get(page);
            if (cached != null) {
                device.checkServed(page * PAGE, ByteBuffer.wrap(cached));
                return cached;
            }
        }
        ByteBuffer b = ByteBuffer.allocate(PAGE);
        long pos = page * PAGE;
        while (b.hasRemaining()) {
            pos += device.read(b, pos, IoMode.BUFFERED);
        }
        synchronized (this) {
            pages.put(page, b.array());
        }
        return b.array();
    }

    public void put(long page, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        long pos = page * PAGE;
        while (b.hasRemaining()) {
            pos += device.write(b, pos, IoMode.BUFFERED);
        }
        synchronized (this) {
            pages.remove(page);
        }
    }
}
