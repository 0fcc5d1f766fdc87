package com.example.cache;

import io.staleguard.device.hooks.Gate;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.hooks.Stage;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

@StaleguardTest
class PageCacheTest {

    static byte[] page(int v) {
        byte[] b = new byte[PageCache.PAGE];
        Arrays.fill(b, (byte) v);
        return b;
    }

    /** A miss read of page 0 races a write of page 0: the read is held until the write completed. */
    @Test
    void servesTheLatestPage(@Device(shortTransfers = 0) SimulatedDevice device) throws Exception {
        PageCache cache = new PageCache(device);
        cache.put(0, page(1));
        Gate gate = device.hooks().pause(OpMatcher.reads().overlapping(0, PageCache.PAGE).atStage(Stage.COMPLETE));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                cache.get(0);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "cache-reader");
        reader.start();
        gate.awaitPaused(Duration.ofSeconds(10));
        cache.put(0, page(2));
        gate.release();
        reader.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        cache.get(0);
    }
}
