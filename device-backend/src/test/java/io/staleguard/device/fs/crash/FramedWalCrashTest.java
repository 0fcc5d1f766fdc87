package io.staleguard.device.fs.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.Seeds;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The framed WAL (length, crc32c, payload; 700-byte records, 100 records, force(false) every 10, each batch
 * acknowledged after its force): a recovery that throws on a torn or zero-filled last record is caught, and the twin
 * that truncates at the first bad or short record is clean under every model. Seed {@link #SEED}; reproduce with
 * {@code mvn test -pl device-backend -Dtest=FramedWalCrashTest}.
 */
class FramedWalCrashTest {

    static final long SEED = 0xF4A3_ED01L;
    static final int RECORD = 700;
    static final int PAYLOAD = RECORD - 8;

    /** What the buggy recovery throws on a bad record. */
    static final class CorruptRecordException extends IOException {
        CorruptRecordException(String message) {
            super(message);
        }
    }

    private SimulatedDevice device;
    private SimulatedFileSystem fs;
    private Path wal;

    @BeforeEach
    void open() throws IOException {
        device = SimulatedDevice.builder().capacity(16 << 20).blockSize(4096).seed(SEED).build();
        fs = SimulatedFileSystem.on(device);
        Path test = Files.createDirectory(fs.getPath("/test"));
        wal = test.resolve("wal.log");
        Files.createFile(wal);
        try (FileChannel d = FileChannel.open(test, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    @AfterEach
    void close() throws IOException {
        fs.close();
        device.close();
    }

    private static byte[] payload(int r) {
        byte[] p = new byte[PAYLOAD];
        Arrays.fill(p, (byte) (r + 1));
        return p;
    }

    private static ByteBuffer frame(int r) {
        byte[] p = payload(r);
        CRC32C crc = new CRC32C();
        crc.update(p);
        return ByteBuffer.allocate(RECORD).putInt(PAYLOAD).putInt((int) crc.getValue()).put(p).flip();
    }

    private void workload(CrashExplorer crash) throws IOException {
        try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.WRITE)) {
            for (int r = 0; r < 100; r++) {
                ByteBuffer b = frame(r);
                while (b.hasRemaining()) {
                    ch.write(b, (long) r * RECORD + b.position());
                }
                if (r % 10 == 9) {
                    ch.force(false);
                    crash.acknowledge("upto-" + (r + 1));
                }
            }
        }
    }

    /** Reads records until the end; {@code strict}: a short or bad record throws, else ends the log. */
    private int recover(CrashStateInfo state, boolean strict) throws IOException {
        int good = 0;
        try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.READ)) {
            long size = ch.size();
            for (long at = 0; at < size; at += RECORD) {
                ByteBuffer b = ByteBuffer.allocate(RECORD);
                while (b.hasRemaining() && ch.read(b, at + b.position()) > 0) {
                    // read the whole frame
                }
                b.flip();
                boolean ok = b.remaining() == RECORD && b.getInt(0) == PAYLOAD;
                if (ok) {
                    CRC32C crc = new CRC32C();
                    crc.update(b.array(), 8, PAYLOAD);
                    ok = (int) crc.getValue() == b.getInt(4);
                }
                if (!ok) {
                    if (strict) {
                        throw new CorruptRecordException("record at " + at + " is torn or zero-filled");
                    }
                    break;
                }
                good++;
            }
        }
        int acked = 0;
        for (String k : state.acknowledged()) {
            acked = Math.max(acked, Integer.parseInt(k.substring(5)));
        }
        if (good < acked) {
            throw new AssertionError("acknowledged " + acked + " records, recovered " + good);
        }
        return good;
    }

    private CrashOutcome explore(CrashModel model, boolean strict) throws IOException {
        CrashExplorer crash = CrashExplorer.start(fs, CrashSettings.defaults(SEED).withModel(model));
        workload(crash);
        return crash.explore(state -> recover(state, strict));
    }

    private static String why(CrashModel m) {
        return "seed " + Seeds.hex(SEED) + ", model " + m
                + "; reproduce with: mvn test -pl device-backend -Dtest=FramedWalCrashTest";
    }

    // Under EXT4_ORDERED too: a record that ends inside the log's last allocated block is not ordered data (only
    // fresh blocks are), its size is journaled at once, and a crash can keep the size with a torn or no record.
    @ParameterizedTest
    @EnumSource(CrashModel.class)
    void aRecoveryThatThrowsOnABadLastRecordIsCaught(CrashModel model) throws IOException {
        CrashOutcome out = explore(model, true);
        assertThat(out.violations()).as(why(model)).isNotEmpty()
                .allMatch(v -> v.kind() == ViolationKind.CRASH_RECOVERY);
        Violation v = out.violations().stream().filter(x -> x.actual().startsWith("CorruptRecordException"))
                .findFirst().orElseThrow(() -> new AssertionError(why(model) + ": no CorruptRecordException in "
                        + out.violations()));
        if (model == CrashModel.NO_ORDERING) {
            assertThat(out.violations()).as(why(model)).anySatisfy(x -> assertThat(x.detail())
                    .contains("reads as zeros"));
        } else {
            assertThat(v.detail()).as(why(model)).containsAnyOf("torn:", "reads as zeros");
        }
    }

    @ParameterizedTest
    @EnumSource(CrashModel.class)
    void aRecoveryThatTruncatesAtTheFirstBadRecordIsClean(CrashModel model) throws IOException {
        CrashOutcome out = explore(model, false);
        assertThat(out.violations()).as(why(model)).isEmpty();
        assertThat(out.explored()).isEqualTo(out.planned()).isPositive()
                .isLessThanOrEqualTo(CrashSettings.DEFAULT_BUDGET);
    }
}
