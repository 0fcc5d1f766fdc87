package com.example.wal;

import io.staleguard.junit.Crash;
import io.staleguard.junit.Device;
import io.staleguard.junit.Soak;
import io.staleguard.junit.StaleguardTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The bug: the new segment is acknowledged, but its directory entry is never made durable. */
@StaleguardTest
class BuggySegmentLogTest {

    @Soak
    @Test
    void rollsToANewSegment(@Device Path dir, Crash crash) throws Exception {
        Path wal = Files.createDirectory(dir.resolve("wal"));
        SegmentLog.fsync(dir);
        crash.explore(() -> crash.acknowledge(new SegmentLog(wal, false).roll(2, 10)), state -> { });
    }
}
