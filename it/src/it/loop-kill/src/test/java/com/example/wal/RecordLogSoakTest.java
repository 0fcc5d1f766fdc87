package com.example.wal;

import io.staleguard.junit.Backend;
import io.staleguard.junit.Device;
import io.staleguard.junit.Soak;
import io.staleguard.junit.StaleguardTest;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/** Correct code; a loop soak (-Dstaleguard.backend=loop) moves its Path onto ext4 on a loop device. */
@StaleguardTest
class RecordLogSoakTest {

    @Soak
    @Test
    void appendsManyRecords(@Device(backend = Backend.FILE) Path dir) throws Exception {
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(dir.resolve("wal"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            RecordLog log = new RecordLog(ch);
            for (int i = 1; i <= 64; i++) {
                log.append((byte) i);
            }
            log.sync();
        }
        byte[] all = Files.readAllBytes(dir.resolve("wal"));
        for (int i = 0; i < 64; i++) {
            if (all[i * RecordLog.RECORD] != (byte) (i + 1)) {
                throw new AssertionError("record " + i + " lost");
            }
        }
    }
}
