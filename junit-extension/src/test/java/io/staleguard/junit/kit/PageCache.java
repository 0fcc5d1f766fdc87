package io.staleguard.junit.kit;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * A user-level page cache over a block device, in two versions. The buggy one inserts what a miss read from the
 * device even if a write of the page completed while the read ran, so a racing read poisons the cache with the
 * old version (the ArcadeDB #4925 pattern); the correct one drops such a read. Every page served from the cache
 * is shown to the device's history oracle through {@link BlockDevice#checkServed}.
 */
public final class PageCache {

    public static final int PAGE = 4096;

    private final BlockDevice device;
    private final boolean checkGeneration;
    private final Map<Long, byte[]> pages = new HashMap<>();
    private final Map<Long, Long> generations = new HashMap<>();

    public PageCache(BlockDevice device, boolean correct) {
        this.device = device;
        this.checkGeneration = correct;
    }

    /** The page's content, from the cache or the device. */
    public byte[] get(long page) throws IOException {
        long generation;
        synchronized (this) {
            byte[] cached = pages.get(page);
            if (cached != null) {
                device.checkServed(page * PAGE, ByteBuffer.wrap(cached));
                return cached;
            }
            generation = generations.getOrDefault(page, 0L);
        }
        ByteBuffer b = ByteBuffer.allocate(PAGE);
        long pos = page * PAGE;
        while (b.hasRemaining()) {
            pos += device.read(b, pos, IoMode.BUFFERED);
        }
        byte[] data = b.array();
        synchronized (this) {
            if (!checkGeneration || generations.getOrDefault(page, 0L) == generation) {
                pages.put(page, data);
            }
        }
        return data;
    }

    /** Writes the page to the device, then invalidates it. */
    public void put(long page, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        long pos = page * PAGE;
        while (b.hasRemaining()) {
            pos += device.write(b, pos, IoMode.BUFFERED);
        }
        synchronized (this) {
            generations.merge(page, 1L, Long::sum);
            pages.remove(page);
        }
    }
}
