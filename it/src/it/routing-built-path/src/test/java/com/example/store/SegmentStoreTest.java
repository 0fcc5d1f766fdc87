package com.example.store;

import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

@StaleguardTest
class SegmentStoreTest {

    @Test
    void appendsRecords(@Device Path dir) throws Exception {
        try (SegmentStore store = new SegmentStore(dir.toString())) {
            for (int i = 1; i <= 8; i++) {
                store.append((byte) i);
            }
        }
    }
}
