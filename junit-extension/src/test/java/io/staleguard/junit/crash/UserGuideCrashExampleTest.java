package io.staleguard.junit.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.junit.Crash;
import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The example of docs/USER-GUIDE.md, "Crash", as written there: it compiles, and it is clean over its budget. */
@StaleguardTest
class UserGuideCrashExampleTest {

    static final int RECORD = 700;                     // length, crc32c, payload

    @Test
    void acknowledgedRecordsSurvivePowerLoss(@Device Path dir, Crash crash) throws Exception {
        Path log = Files.createFile(dir.resolve("wal.log"));
        fsync(dir);                                    // setup: durable before explore, not explored
        crash.explore(() -> {                          // the workload: runs once, recorded
            try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
                for (int r = 1; r <= 100; r++) {
                    ByteBuffer b = record(r);
                    while (b.hasRemaining()) {         // a write may be short: continue it
                        ch.write(b, (r - 1L) * RECORD + b.position());
                    }
                    if (r % 10 == 0) {
                        ch.force(false);
                        crash.acknowledge("upto-" + r);    // told the client: records 1..r are durable
                    }
                }
            }
        }, state -> {                                  // recovery: runs on every explored crash state
            int acked = state.acknowledged().stream().mapToInt(k -> Integer.parseInt(k.substring(5)))
                    .max().orElse(0);
            assertThat(recover(log)).isGreaterThanOrEqualTo(acked);
        });
        assertThat(crash.statesExplored()).isEqualTo(200);
    }

    static ByteBuffer record(int r) {
        byte[] payload = new byte[RECORD - 8];
        Arrays.fill(payload, (byte) r);
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return ByteBuffer.allocate(RECORD).putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
    }

    /** The intact records from the start: a torn or zero-filled record ends the log (it was never acknowledged). */
    static int recover(Path log) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(log));
        int n = 0;
        for (int at = 0; at + RECORD <= all.capacity(); at += RECORD, n++) {
            CRC32C crc = new CRC32C();
            crc.update(all.array(), at + 8, RECORD - 8);
            if (all.getInt(at) != RECORD - 8 || all.getInt(at + 4) != (int) crc.getValue()) {
                break;
            }
        }
        return n;
    }

    static void fsync(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
