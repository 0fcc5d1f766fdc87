package com.example.cache;

import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The twin: the read error reaches the caller; a rewrite heals the block. */
@StaleguardTest
class BlockCacheTest {

    static byte[] block(int value) {
        byte[] b = new byte[4096];
        Arrays.fill(b, (byte) value);
        return b;
    }

    static void propagates(BlockCache cache) throws Exception {
        cache.write(2, block(7));
        try {
            cache.read(2);
            throw new AssertionError("the read error was not propagated");
        } catch (IOException e) {
            if (!"Input/output error".equals(e.getMessage())) {
                throw e;
            }
        }
        cache.write(2, block(8));
        if (!Arrays.equals(cache.read(2), block(8))) {
            throw new AssertionError("block 2 does not read back after its rewrite");
        }
    }

    @Test
    void aSpecsReadErrorIsNotServedAsZeros(
            @Device(size = "1MiB", shortTransfers = 0, faults = "read-error@1") SimulatedDevice d) throws Exception {
        propagates(new BlockCache(d, false));
    }

    @Test
    void anArmedReadErrorIsNotServedAsZeros(@Device(size = "1MiB", shortTransfers = 0) SimulatedDevice d)
            throws Exception {
        BlockCache cache = new BlockCache(d, false);
        cache.write(2, block(7));
        d.faults().failReads(2 * 4096, 4096);
        try {
            cache.read(2);
            throw new AssertionError("the read error was not propagated");
        } catch (IOException e) {
            if (!"Input/output error".equals(e.getMessage())) {
                throw e;
            }
        }
        if (d.faults().fired().size() != 1) {
            throw new AssertionError("fired: " + d.faults().fired());
        }
    }
}
