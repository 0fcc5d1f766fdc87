package io.staleguard.device.fs.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.staleguard.device.Seeds;
import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * What a crash state costs when the simulated filesystem explores it: O(blocks that differ). A 1 GiB device holds a
 * 10 MiB file from before the exploration and a write-ahead log of 100 records forced every 10; exploring 200 states
 * allocates per state a bounded number of bytes, far below one media chunk (256 KiB), let alone the 10 MiB file
 * (what rewriting the tree per state cost) or the device; and the media allocates no chunk per state. Measured as
 * the difference between 200 and 20 states on fresh devices of the same seed, so the one-time costs (recording,
 * reading the base, planning's fixed part) cancel. {@code mvn test -pl device-backend -Dtest=CrashStateCostTest}.
 */
class CrashStateCostTest {

    static final long SEED = 0xC057_5747L;
    static final int BLOCK = 4096;
    static final int BIG = 10 << 20;
    /** Bytes per state: less than one 256 KiB media chunk, and 1/40 of the base file. */
    static final long PER_STATE_LIMIT = 128 * 1024;

    record Run(long allocated, int explored, long mediaBytes) {
    }

    static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void aStateCostsTheBlocksThatDifferNotTheImageOrTheDevice() throws IOException {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "needs per-thread allocation counters");
        run(20);                                       // warm: classes, lambdas, JIT'd paths
        Run few = run(20);
        Run many = run(200);
        String why = "seed " + Seeds.hex(SEED) + "; reproduce with: mvn test -pl device-backend -Dtest=CrashStateCostTest";
        assertThat(many.explored()).as(why).isEqualTo(200);
        long perState = (many.allocated() - few.allocated()) / (many.explored() - few.explored());
        System.out.printf("crash state cost: %d bytes allocated per state (%d states: %d bytes, %d states: %d bytes)%n",
                perState, many.explored(), many.allocated(), few.explored(), few.allocated());
        assertThat(perState).as("bytes allocated per crash state; " + why).isLessThan(PER_STATE_LIMIT);
        assertThat(many.mediaBytes()).as("media allocated after 200 states vs 20 (no chunk copied per state); " + why)
                .isEqualTo(few.mediaBytes());
    }

    private static Run run(int states) throws IOException {
        try (SimulatedDevice dev = SimulatedDevice.builder().capacity(1L << 30).blockSize(BLOCK).seed(SEED).build();
             SimulatedFileSystem fs = SimulatedFileSystem.on(dev)) {
            Path dir = Files.createDirectory(fs.getPath("/test"));
            try (FileChannel ch = FileChannel.open(dir.resolve("data"), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
                for (int i = 0; i < BIG; i += chunk.capacity()) {
                    for (int k = 0; k < chunk.capacity(); k++) {
                        chunk.put(k, (byte) (i + k * 7));
                    }
                    chunk.clear();
                    while (chunk.hasRemaining()) {
                        ch.write(chunk, i + chunk.position());
                    }
                }
                ch.force(true);
            }
            long before = allocated();
            CrashExplorer crash = CrashExplorer.start(fs, CrashSettings.defaults(SEED).withBudget(states));
            wal(dir, crash);
            CrashOutcome out = crash.explore(state -> recover(dir, state));
            long spent = allocated() - before;
            assertThat(out.violations()).as("the correct WAL, seed %s", Seeds.hex(SEED)).isEmpty();
            return new Run(spent, out.explored(), dev.allocatedMediaBytes());
        }
    }

    private static void wal(Path dir, CrashExplorer crash) throws IOException {
        ByteBuffer record = ByteBuffer.allocate(108);
        CRC32C crc = new CRC32C();
        try (FileChannel ch = FileChannel.open(dir.resolve("wal"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            for (int i = 1; i <= 100; i++) {
                byte[] payload = new byte[100];
                java.util.Arrays.fill(payload, (byte) i);
                crc.reset();
                crc.update(payload);
                record.clear();
                record.putInt(100).putInt((int) crc.getValue()).put(payload).flip();
                while (record.hasRemaining()) {
                    ch.write(record, (i - 1) * 108L + record.position());
                }
                if (i % 10 == 0) {
                    ch.force(false);
                    if (i == 10) {
                        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                            d.force(true);
                        }
                    }
                    crash.acknowledge("batch-" + i / 10);
                }
            }
        }
    }

    private static void recover(Path dir, CrashStateInfo state) throws IOException {
        Path wal = dir.resolve("wal");
        long records = Files.exists(wal) ? Files.size(wal) / 108 : 0;
        for (String ack : state.acknowledged()) {
            long batch = Long.parseLong(ack.substring("batch-".length()));
            assertThat(records).as("records after acknowledging %s", ack).isGreaterThanOrEqualTo(batch * 10);
        }
    }
}
