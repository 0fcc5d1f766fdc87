package com.example.cache;

import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The bug: a latent sector error on block 2 is served as a block of zeros. */
@StaleguardTest
class BuggyBlockCacheTest {

    static byte[] block(int value) {
        byte[] b = new byte[4096];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void aSpecsReadErrorIsNotServedAsZeros(
            @Device(size = "1MiB", shortTransfers = 0, faults = "read-error@1") SimulatedDevice d) throws Exception {
        BlockCache cache = new BlockCache(d, true);
        cache.write(2, block(7));
        cache.read(2);
    }

    @Test
    void anArmedReadErrorIsNotServedAsZeros(@Device(size = "1MiB", shortTransfers = 0) SimulatedDevice d)
            throws Exception {
        BlockCache cache = new BlockCache(d, true);
        cache.write(2, block(7));
        d.faults().failReads(2 * 4096, 4096);
        cache.read(2);
    }
}
