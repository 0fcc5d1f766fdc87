package com.example.blocks;

import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The twin: one lock over {@code position} and {@code read}; reader-1 gets block 2. */
@StaleguardTest
class BlockReaderTest {

    @Test
    void eachReaderGetsItsOwnBlock(@Device(shortTransfers = 0) Path dir) throws Exception {
        byte first = Race.run(dir, true);
        if (first != 3) {
            throw new AssertionError("reader-1 read block " + (first - 1) + " instead of block 2");
        }
    }
}
