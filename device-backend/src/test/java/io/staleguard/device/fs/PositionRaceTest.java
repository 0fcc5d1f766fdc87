package io.staleguard.device.fs;

import static io.staleguard.device.testing.RaceWaits.awaitDoneOrBlockedByMe;
import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.FileLocation;
import io.staleguard.device.TimelineEvent;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.channels.DeviceChannels;
import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code POSITION_RACE} on the simulated filesystem's channels and on a raw device's {@code FileChannel} view:
 * the H2 {@code FileBase} / jhdf shape ({@code position(x); read(dst)} on a shared channel, h2database PR #2292 and
 * jhdf PR #701) is caught with the file and offset, its locked twin is clean, and so are positional reads,
 * sequential readers and appenders that never set the position. The bad interleaving is forced by latches, not
 * hoped for: reader-1 sets its position, then waits until reader-2 has done its whole read (or, in the locked twin,
 * is blocked on reader-1's lock).
 */
@Timeout(60)
class PositionRaceTest {

    private static final int BS = 4096;
    /** Printed by every verdict assertion: the device seed and the line that replays the test. */
    private static final String REPRODUCE =
            "seed 0x9051; reproduce with: mvn test -pl device-backend -Dtest=PositionRaceTest";
    private static final long SEED = 0x9051;

    /**
     * The component: a positional read emulated on a shared channel's position. {@code pause} runs between the
     * two calls (the test's window); the locked twin holds one lock over the pair and the pause.
     */
    static final class PositionalReader {
        private final FileChannel channel;
        private final boolean locked;
        private final Object lock = new Object();

        PositionalReader(FileChannel channel, boolean locked) {
            this.channel = channel;
            this.locked = locked;
        }

        ByteBuffer read(long position, int length, Runnable pause) throws IOException {
            if (locked) {
                synchronized (lock) {
                    return readAt(position, length, pause);
                }
            }
            return readAt(position, length, pause);
        }

        private ByteBuffer readAt(long position, int length, Runnable pause) throws IOException {
            ByteBuffer dst = ByteBuffer.allocate(length);
            channel.position(position);
            pause.run();
            while (dst.hasRemaining() && channel.read(dst) > 0) {
                // a short read continues at the channel's position
            }
            return dst.flip();
        }
    }

    private static byte[] blocks(int count) {
        byte[] data = new byte[count * BS];
        for (int b = 0; b < count; b++) {
            java.util.Arrays.fill(data, b * BS, (b + 1) * BS, (byte) (b + 1));
        }
        return data;
    }

    /**
     * Reader-1 reads block 2 while reader-2 reads block 3 through the same reader; reader-1's pause waits until
     * reader-2's read has finished, or until reader-2 is blocked on a lock reader-1 holds (the locked twin). Returns
     * what reader-1 got. The pause waits for a state, never for a time: a fixed wait (it was 200 ms) let reader-1 go
     * on before reader-2 had read when a loaded machine did not run reader-2 in time, and the race was missed.
     */
    private static ByteBuffer race(PositionalReader reader) throws Exception {
        CountDownLatch set = new CountDownLatch(1);
        CountDownLatch otherDone = new CountDownLatch(1);
        ExecutorService one = Executors.newSingleThreadExecutor(r -> new Thread(r, "reader-1"));
        ExecutorService two = Executors.newSingleThreadExecutor(r -> new Thread(r, "reader-2"));
        AtomicReference<Thread> secondThread = new AtomicReference<>();
        try {
            Future<ByteBuffer> first = one.submit(() -> reader.read(2 * BS, BS, () -> {
                set.countDown();
                awaitDoneOrBlockedByMe(otherDone, secondThread);
            }));
            Future<ByteBuffer> second = two.submit(() -> {
                secondThread.set(Thread.currentThread());
                await(set, 10_000);
                try {
                    return reader.read(3 * BS, BS, () -> { });
                } finally {
                    otherDone.countDown();
                }
            });
            assertThat(second.get(20, TimeUnit.SECONDS).get(0)).isEqualTo((byte) 4);
            return first.get(20, TimeUnit.SECONDS);
        } finally {
            one.shutdownNow();
            two.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch, long millis) {
        try {
            latch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SimulatedDevice device() {
        return SimulatedDevice.builder().capacity(8 << 20).blockSize(BS).seed(SEED).build();
    }

    private static Path dataFile(SimulatedFileSystem fs) throws IOException {
        Files.write(fs.getPath("/other"), new byte[3 * BS]); // so that file offsets are not device offsets
        Path data = Files.createDirectories(fs.getPath("/test")).resolve("data.bin");
        Files.write(data, blocks(8));
        return data;
    }

    private static List<Violation> races(SimulatedDevice device) {
        return device.finish().all().stream().filter(v -> v.kind() == ViolationKind.POSITION_RACE).toList();
    }

    @Test
    void theUnlockedReaderIsCaughtWithBothThreadsBothPositionsAndTheFile() throws Exception {
        try (SimulatedDevice device = device(); SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Path data = dataFile(fs);
            ByteBuffer got;
            try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
                got = race(new PositionalReader(ch, false));
            }
            assertThat(got.get(0)).as("reader-1 got block 4, not block 2: the program's corruption")
                    .isEqualTo((byte) 5);
            List<Violation> all = device.finish().all();
            assertThat(all).as(REPRODUCE).extracting(Violation::kind).containsExactly(ViolationKind.POSITION_RACE);
            Violation v = all.get(0);
            assertThat(v.location()).isEqualTo(new FileLocation("/test/data.bin", 4 * BS));
            assertThat(v.thread()).isEqualTo("reader-1");
            assertThat(v.length()).isEqualTo(BS);
            assertThat(v.offset()).as("the device offset of the used position").isNotEqualTo(4 * BS);
            assertThat(v.expected()).startsWith("position 8192 (set by reader-1: position(8192) at t=");
            assertThat(v.actual()).startsWith("position 16384 (moved by reader-2: a read of 4096 bytes at t=");
            assertThat(v.detail()).contains("FileChannel#", " on /test/data.bin",
                    "reader-1 read 4096 bytes at the channel's position 16384, but reader-2 moved the position"
                            + " after reader-1 set it (at 8192) and before the read",
                    "use read(buffer, position)", "H2's FileBase, PR #2292", "jhdf, PR #701",
                    "[in /test/data.bin at file offset 16384]");
            assertThat(v.timeline()).extracting(TimelineEvent::note)
                    .contains("position(8192) -> position 8192", "a read of 4096 bytes -> position 16384");
            assertThat(v.timeline()).as("the violating read itself is on the timeline")
                    .anyMatch(e -> e.type() == TimelineEvent.Type.READ_COMPLETE && e.thread().equals("reader-1")
                            && e.offset() == v.offset());
        }
    }

    @Test
    void theLockedTwinIsClean() throws Exception {
        try (SimulatedDevice device = device(); SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Path data = dataFile(fs);
            ByteBuffer got;
            try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
                got = race(new PositionalReader(ch, true));
            }
            assertThat(got.get(0)).isEqualTo((byte) 3);
            assertThat(device.finish().all()).as(REPRODUCE).isEmpty();
        }
    }

    @Test
    void aRacingWriterIsCaughtToo() throws Exception {
        try (SimulatedDevice device = device(); SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Path data = dataFile(fs);
            try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
                ExecutorService one = Executors.newSingleThreadExecutor(r -> new Thread(r, "writer-1"));
                ExecutorService two = Executors.newSingleThreadExecutor(r -> new Thread(r, "writer-2"));
                try {
                    one.submit(() -> ch.position(BS)).get();
                    two.submit(() -> ch.position(6 * BS)).get();
                    one.submit(() -> ch.write(ByteBuffer.wrap(new byte[100]))).get();
                } finally {
                    one.shutdownNow();
                    two.shutdownNow();
                }
            }
            List<Violation> vs = races(device);
            assertThat(vs).as(REPRODUCE).hasSize(1);
            assertThat(vs.get(0).location()).isEqualTo(new FileLocation("/test/data.bin", 6 * BS));
            assertThat(vs.get(0).expected()).startsWith("position 4096 (set by writer-1: position(4096)");
            assertThat(vs.get(0).actual()).startsWith("position 24576 (moved by writer-2: position(24576)");
            assertThat(vs.get(0).detail()).contains("writer-1 wrote 100 bytes", "use write(buffer, position)");
        }
    }

    @Test
    void readingThePositionResynchronises() throws Exception {
        try (SimulatedDevice device = device(); SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Path data = dataFile(fs);
            try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
                ExecutorService one = Executors.newSingleThreadExecutor(r -> new Thread(r, "reader-1"));
                ExecutorService two = Executors.newSingleThreadExecutor(r -> new Thread(r, "reader-2"));
                try {
                    one.submit(() -> ch.position(BS)).get();
                    two.submit(() -> ch.position(5 * BS)).get();
                    assertThat(one.submit(() -> ch.position()).get()).isEqualTo(5 * BS);
                    one.submit(() -> ch.read(ByteBuffer.allocate(BS))).get();
                    assertThat(races(device)).isEmpty();
                    two.submit(() -> ch.read(ByteBuffer.allocate(BS))).get();
                } finally {
                    one.shutdownNow();
                    two.shutdownNow();
                }
            }
            assertThat(races(device)).as("reader-2 set 5 * BS, reader-1 moved it on").hasSize(1);
        }
    }

    @Test
    void manyLockedPairsAndPositionalReadsAreClean() throws Exception {
        try (SimulatedDevice device = device(); SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Path data = dataFile(fs);
            try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
                PositionalReader locked = new PositionalReader(ch, true);
                AtomicInteger wrong = new AtomicInteger();
                runThreads(4, t -> {
                    for (int i = 0; i < 10_000; i++) {
                        int block = (i + t) % 8;
                        ByteBuffer a = locked.read((long) block * BS, 512, () -> { });
                        ByteBuffer b = ByteBuffer.allocate(512);
                        ch.read(b, (long) block * BS + 1024);
                        if (a.get(0) != block + 1 || b.get(0) != block + 1) {
                            wrong.incrementAndGet();
                        }
                    }
                });
                assertThat(wrong).hasValue(0);
            }
            assertThat(device.finish().all()).as(REPRODUCE).isEmpty();
        }
    }

    @Test
    void sharedSequentialReadersAndAppendersThatNeverSetThePositionAreClean() throws Exception {
        try (SimulatedDevice device = device(); SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Path data = dataFile(fs);
            try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
                runThreads(2, t -> {
                    ByteBuffer chunk = ByteBuffer.allocate(1000);
                    while (ch.read(chunk.clear()) > 0) {
                        // the next chunk, wherever it is
                    }
                });
            }
            Path log = fs.getPath("/test/shared.log");
            try (FileChannel ch = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                runThreads(2, t -> {
                    for (int i = 0; i < 500; i++) {
                        ByteBuffer record = ByteBuffer.wrap(new byte[100]);
                        while (record.hasRemaining()) {
                            ch.write(record);
                        }
                    }
                });
                assertThat(ch.size()).isEqualTo(2 * 500 * 100);
            }
            try (FileChannel ch = FileChannel.open(log, StandardOpenOption.APPEND)) {
                runThreads(2, t -> {
                    for (int i = 0; i < 200; i++) {
                        ch.write(ByteBuffer.wrap(new byte[10]));
                        ch.position();
                    }
                });
            }
            assertThat(device.finish().all()).as(REPRODUCE).isEmpty();
        }
    }

    @Test
    void oneThreadSettingAndReadingIsClean() throws Exception {
        try (SimulatedDevice device = device(); SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Path data = dataFile(fs);
            try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                PositionalReader reader = new PositionalReader(ch, false);
                for (int i = 0; i < 100; i++) {
                    assertThat(reader.read((long) (i % 8) * BS, BS, () -> { }).get(0)).isEqualTo((byte) (i % 8 + 1));
                    ch.truncate(8 * BS);
                }
            }
            assertThat(device.finish().all()).as(REPRODUCE).isEmpty();
        }
    }

    @Test
    void aRawDeviceChannelIsCaughtAndItsLockedTwinIsClean() throws Exception {
        try (SimulatedDevice device = device()) {
            device.write(ByteBuffer.wrap(blocks(8)), 0, io.staleguard.device.IoMode.BUFFERED);
            ByteBuffer got;
            try (FileChannel ch = DeviceChannels.open(device, StandardOpenOption.READ)) {
                got = race(new PositionalReader(ch, false));
            }
            assertThat(got.get(0)).isEqualTo((byte) 5);
            List<Violation> vs = device.finish().all();
            assertThat(vs).as(REPRODUCE).extracting(Violation::kind).containsExactly(ViolationKind.POSITION_RACE);
            assertThat(vs.get(0).offset()).isEqualTo(4 * BS);
            assertThat(vs.get(0).lba()).isEqualTo(4);
            assertThat(vs.get(0).location()).isNull();
            assertThat(vs.get(0).expected()).startsWith("position 8192 (set by reader-1");
        }
        try (SimulatedDevice device = device()) {
            device.write(ByteBuffer.wrap(blocks(8)), 0, io.staleguard.device.IoMode.BUFFERED);
            try (FileChannel ch = DeviceChannels.open(device, StandardOpenOption.READ)) {
                assertThat(race(new PositionalReader(ch, true)).get(0)).isEqualTo((byte) 3);
            }
            assertThat(device.finish().all()).as(REPRODUCE).isEmpty();
        }
    }

    interface Body {
        void run(int thread) throws Exception;
    }

    private static void runThreads(int n, Body body) throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < n; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    body.run(id);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "worker-" + t);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertThat(failures).isEmpty();
    }
}
