package com.example.wal;

import io.staleguard.junit.Backend;
import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

@StaleguardTest
class RecordLogTest {

    @Test
    void appendsRecords(@Device(backend = Backend.FILE) Path dir) throws Exception {
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(dir.resolve("wal"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            RecordLog log = new RecordLog(ch);
            for (int i = 1; i <= 8; i++) {
                log.append((byte) i);
            }
            log.sync();
        }
    }
}
