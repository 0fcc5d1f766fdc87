package com.example.blocks;

import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The bug: reader-2 moves the shared position between reader-1's {@code position} and its {@code read}. */
@StaleguardTest
class BuggyBlockReaderTest {

    @Test
    void eachReaderGetsItsOwnBlock(@Device(shortTransfers = 0) Path dir) throws Exception {
        // The data the program sees is not what it asked for (block 4 instead of 3), but each byte is a valid
        // version: only the position race names the bug.
        Race.run(dir, false);
    }
}
