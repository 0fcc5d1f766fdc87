package com.example.wal;

import io.staleguard.junit.Crash;
import io.staleguard.junit.Device;
import io.staleguard.junit.Soak;
import io.staleguard.junit.StaleguardTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The correct twin: the log fsyncs its directory before the segment is acknowledged. */
@StaleguardTest
class SegmentLogTest {

    @Soak
    @Test
    void rollsToANewSegment(@Device Path dir, Crash crash) throws Exception {
        Path wal = Files.createDirectory(dir.resolve("wal"));
        SegmentLog.fsync(dir);
        crash.explore(() -> crash.acknowledge(new SegmentLog(wal, true).roll(2, 10)), state -> { });
    }
}
