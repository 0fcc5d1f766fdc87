package com.example.tlog;

import io.staleguard.junit.Crash;
import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bug: each operation is acknowledged before the batch's force. */
@StaleguardTest
class BuggyTranslogTest {

    @Test
    void everyAcknowledgedOperationSurvivesACrash(@Device Path dir, Crash crash) throws Exception {
        Path file = Files.createFile(dir.resolve("translog.tlog"));
        try (java.nio.channels.FileChannel d = java.nio.channels.FileChannel.open(dir,
                java.nio.file.StandardOpenOption.READ)) {
            d.force(true);
        }
        crash.explore(() -> new Translog(file, false).append(1, 8, crash::acknowledge), state -> {
            Set<String> present = Translog.read(file);
            for (String op : state.acknowledged()) {
                if (!present.contains(op)) {
                    throw new AssertionError("acknowledged " + op + " is missing after the crash");
                }
            }
        });
    }
}
