package io.staleguard.device.detectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.IoMode;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.channels.DeviceChannels;
import io.staleguard.device.hooks.Gate;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.hooks.Stage;
import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every violation kind, at device level: a small buggy program is caught with the right kind at
 * the right place, and its correct twin, run the same way, stays clean. Races are forced with
 * interleaving hooks, never left to luck; media faults are injected with the test-only
 * {@link io.staleguard.device.sim.MediaTamper}.
 */
class DetectorTest {

    private static final int BS = 4096;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private SimulatedDevice device;

    private SimulatedDevice device() {
        return device(0);
    }

    private SimulatedDevice device(double shortTransfers) {
        device = SimulatedDevice.builder().capacity(1 << 20).blockSize(BS).seed(0xDE7EC7).captureStacks(true)
                .shortTransferProbability(shortTransfers).dmaDelay(Duration.ZERO, Duration.ofNanos(2_000)).build();
        return device;
    }

    @AfterEach
    void close() throws IOException {
        if (device != null) {
            device.close();
        }
    }

    private static ByteBuffer direct(int size) {
        return ByteBuffer.allocateDirect(size + BS).alignedSlice(BS).limit(size);
    }

    private static byte[] filled(int size, int value) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) value);
        return b;
    }

    // ------------------------------------------------------------------ GUARD_TAG (RATIS-2114)

    /**
     * A log appender in the RATIS-2114 style: one direct buffer, reused for the next entry. The
     * buggy one refills it as soon as writeAsync returns; the correct one waits for completion.
     */
    static final class Appender {
        private final AsynchronousFileChannel ch;
        private final ByteBuffer buf = direct(BS);
        private final boolean waitBeforeReuse;
        private long position;

        Appender(AsynchronousFileChannel ch, boolean waitBeforeReuse) {
            this.ch = ch;
            this.waitBeforeReuse = waitBeforeReuse;
        }

        Future<Integer> append(byte value) throws Exception {
            buf.clear();
            buf.put(filled(BS, value)).flip();
            Future<Integer> f = ch.write(buf, position);
            position += BS;
            if (waitBeforeReuse) {
                f.get();
            }
            return f;
        }
    }

    private List<Violation> runAppender(boolean correct) throws Exception {
        SimulatedDevice d = device();
        AsynchronousFileChannel ch = DeviceChannels.openAsynchronous(d, StandardOpenOption.WRITE,
                com.sun.nio.file.ExtendedOpenOption.DIRECT);
        Appender app = new Appender(ch, correct);
        Gate firstEntry = d.hooks().pause(OpMatcher.writes().overlapping(0, BS).atStage(Stage.DMA));
        CompletableFuture<List<Future<Integer>>> program = CompletableFuture.supplyAsync(() -> {
            try {
                Future<Integer> one = app.append((byte) 1);
                Future<Integer> two = app.append((byte) 2);
                return List.of(one, two);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        firstEntry.awaitPaused(WAIT); // entry 1 is submitted; its data has not been taken yet
        if (correct) {
            Thread.sleep(100);
            assertThat(program).as("the correct appender waits for entry 1 before reusing its buffer").isNotDone();
        } else {
            program.get(10, TimeUnit.SECONDS); // the buggy one has already refilled the buffer with entry 2
        }
        firstEntry.release();
        for (Future<Integer> f : program.get(10, TimeUnit.SECONDS)) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(BS);
        }
        ch.close();
        return d.finish().all();
    }

    @Test
    void bufferReusedBeforeAsyncWriteLandedIsAGuardTagViolation() throws Exception {
        List<Violation> vs = runAppender(false);
        assertThat(vs).extracting(Violation::kind).containsExactly(ViolationKind.GUARD_TAG);
        Violation v = vs.get(0);
        assertThat(v.lba()).isZero();
        assertThat(v.offset()).isZero();
        assertThat(v.firstDiffOffset()).isZero();
        assertThat(v.expected()).isNotEqualTo(v.actual());
        assertThat(v.submitStack()).anyMatch(frame -> frame.contains("Appender.append"));
        // The entry that landed is entry 2's content, not entry 1's: data was lost.
        assertThat(device.tamper().readMedia(0, 4)).containsOnly(2);
    }

    @Test
    void bufferReusedOnlyAfterCompletionIsClean() throws Exception {
        assertThat(runAppender(true)).isEmpty();
        assertThat(device.tamper().readMedia(0, 4)).containsOnly(1);
        assertThat(device.tamper().readMedia(BS, 4)).containsOnly(2);
    }

    // ------------------------------------------------------------------ REF_TAG (misdirected write)

    @Test
    void misdirectedWriteIsARefTagViolationWhereItLands() throws Exception {
        SimulatedDevice d = device();
        d.tamper().misdirectNextWrite(2 * BS, 10 * BS);
        ByteBuffer b = direct(BS);
        b.put(filled(BS, 7)).flip();
        d.write(b, 2 * BS, IoMode.DIRECT);
        ByteBuffer back = direct(BS);
        d.read(back, 10 * BS, IoMode.DIRECT);

        List<Violation> refs = d.finish().ofKind(ViolationKind.REF_TAG);
        assertThat(refs).hasSize(2); // once as it lands, once when read back
        assertThat(refs).allSatisfy(v -> {
            assertThat(v.lba()).isEqualTo(10);
            assertThat(v.expected()).isEqualTo("0xa");
            assertThat(v.actual()).isEqualTo("0x2");
        });
        assertThat(refs.get(0).detail()).contains("misdirected");
    }

    @Test
    void writeThatLandsWhereAddressedIsClean() throws Exception {
        SimulatedDevice d = device();
        ByteBuffer b = direct(BS);
        b.put(filled(BS, 7)).flip();
        d.write(b, 2 * BS, IoMode.DIRECT);
        ByteBuffer back = direct(BS);
        d.read(back, 2 * BS, IoMode.DIRECT);
        assertThat(d.finish().all()).isEmpty();
    }

    // ------------------------------------------------------------------ APP_TAG

    @Test
    void blocksOfAnotherApplicationAreAnAppTagViolationOnRead() throws Exception {
        SimulatedDevice d = device();
        d.tamper().replaceBlocks(5 * BS, filled(BS, 3), 0x1234);
        d.read(ByteBuffer.allocate(100), 5 * BS + 50, IoMode.BUFFERED);
        List<Violation> apps = d.finish().ofKind(ViolationKind.APP_TAG);
        assertThat(apps).hasSize(1);
        assertThat(apps.get(0).lba()).isEqualTo(5);
        assertThat(apps.get(0).expected()).isEqualTo("0x0");
        assertThat(apps.get(0).actual()).isEqualTo("0x1234");
    }

    @Test
    void blocksWrittenThroughTheDeviceCarryItsAppTag() throws Exception {
        SimulatedDevice d = device();
        d.write(ByteBuffer.wrap(filled(BS, 3)), 5 * BS, IoMode.BUFFERED);
        d.read(ByteBuffer.allocate(100), 5 * BS + 50, IoMode.BUFFERED);
        assertThat(d.finish().all()).isEmpty();
    }

    // ------------------------------------------------------------------ STALE_READ (ArcadeDB #4925)

    /**
     * A user-level page cache. The racy one puts what a miss read from the device into the cache
     * unconditionally; a write that completed meanwhile is then hidden behind the old page. The
     * correct one counts writes per page and drops a fill that raced a write.
     */
    static final class PageCache {
        private final SimulatedDevice dev;
        private final boolean guardFills;
        private final java.util.concurrent.ConcurrentHashMap<Long, byte[]> pages = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.ConcurrentHashMap<Long, Long> versions = new java.util.concurrent.ConcurrentHashMap<>();

        PageCache(SimulatedDevice dev, boolean guardFills) {
            this.dev = dev;
            this.guardFills = guardFills;
        }

        byte[] get(long page) throws IOException {
            byte[] cached = pages.get(page);
            if (cached != null) {
                dev.checkServed(page * BS, ByteBuffer.wrap(cached)); // what a reader received, checked
                return cached;
            }
            long before = versions.getOrDefault(page, 0L);
            ByteBuffer b = ByteBuffer.allocate(BS);
            while (b.hasRemaining()) {
                dev.read(b, page * BS + b.position(), IoMode.BUFFERED);
            }
            byte[] data = b.array();
            if (!guardFills) {
                pages.put(page, data);
            } else {
                synchronized (this) {
                    if (versions.getOrDefault(page, 0L) == before) {
                        pages.put(page, data);
                    }
                }
            }
            return data;
        }

        void put(long page, byte[] data) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                dev.write(b, page * BS + b.position(), IoMode.BUFFERED);
            }
            synchronized (this) {
                versions.merge(page, 1L, Long::sum);
                pages.put(page, data.clone());
            }
        }
    }

    private List<Violation> runPageCache(boolean correct) throws Exception {
        SimulatedDevice d = device();
        PageCache cache = new PageCache(d, correct);
        cache.put(3, filled(BS, 1));
        cache.pages.clear(); // evicted: the next get misses
        // Force: the miss reads version 1 from the device, then waits before filling the cache...
        Gate missRead = d.hooks().pause(OpMatcher.reads().overlapping(3 * BS, BS).atStage(Stage.COMPLETE));
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return cache.get(3);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        missRead.awaitPaused(WAIT);
        cache.put(3, filled(BS, 2)); // ...while a writer replaces the page and completes
        missRead.release();
        assertThat(reader.get(10, TimeUnit.SECONDS)).containsOnly(1); // legal: the read overlapped the write
        byte[] later = cache.get(3); // a later reader, long after the write completed
        assertThat(later).containsOnly(correct ? 2 : 1);
        return d.finish().all();
    }

    @Test
    void pageCachePoisonedByARacingReadServesAStaleRead() throws Exception {
        List<Violation> vs = runPageCache(false);
        assertThat(vs).extracting(Violation::kind).containsExactly(ViolationKind.STALE_READ);
        assertThat(vs.get(0).lba()).isEqualTo(3);
        assertThat(vs.get(0).offset()).isEqualTo(3 * BS);
    }

    @Test
    void pageCacheThatDropsRacingFillsIsClean() throws Exception {
        assertThat(runPageCache(true)).isEmpty();
    }

    // ------------------------------------------------------------------ TORN_READ and CORRUPT_READ

    private void writeVersions(SimulatedDevice d) throws IOException {
        d.write(ByteBuffer.wrap(filled(BS, 1)), 4 * BS, IoMode.BUFFERED);
        d.write(ByteBuffer.wrap(filled(BS, 2)), 4 * BS, IoMode.BUFFERED);
    }

    @Test
    void sectorsOfVersionsThatNeverCoexistedAreATornRead() throws Exception {
        SimulatedDevice d = device();
        writeVersions(d);
        byte[] torn = filled(BS, 2);
        Arrays.fill(torn, BS / 2, BS, (byte) 1); // the second half of the block reverts to version 1
        d.tamper().replaceBlocks(4 * BS, torn, 0); // with matching PI: only the history can tell
        d.read(ByteBuffer.allocate(BS), 4 * BS, IoMode.BUFFERED);
        List<Violation> vs = d.finish().all();
        assertThat(vs).extracting(Violation::kind).containsExactly(ViolationKind.TORN_READ);
        assertThat(vs.get(0).lba()).isEqualTo(4);
    }

    @Test
    void contentNoWriteProducedIsACorruptRead() throws Exception {
        SimulatedDevice d = device();
        writeVersions(d);
        byte[] garbage = filled(BS, 2);
        garbage[100] = 9;
        d.tamper().replaceBlocks(4 * BS, garbage, 0); // silent corruption: PI regenerated to match
        d.read(ByteBuffer.allocate(BS), 4 * BS, IoMode.BUFFERED);
        List<Violation> vs = d.finish().all();
        assertThat(vs).extracting(Violation::kind).containsExactly(ViolationKind.CORRUPT_READ);
        assertThat(vs.get(0).lba()).isEqualTo(4);
    }

    @Test
    void corruptionUnderStaleProtectionInformationIsAlsoAGuardTagViolation() throws Exception {
        SimulatedDevice d = device();
        writeVersions(d);
        byte[] garbage = filled(BS, 2);
        garbage[100] = 9;
        d.tamper().corruptData(4 * BS, garbage);
        d.read(ByteBuffer.allocate(BS), 4 * BS, IoMode.BUFFERED);
        assertThat(d.finish().all()).extracting(Violation::kind)
                .containsExactlyInAnyOrder(ViolationKind.GUARD_TAG, ViolationKind.CORRUPT_READ);
    }

    @Test
    void untouchedMediaReadsTheLatestVersionCleanly() throws Exception {
        SimulatedDevice d = device();
        writeVersions(d);
        ByteBuffer b = ByteBuffer.allocate(BS);
        d.read(b, 4 * BS, IoMode.BUFFERED);
        assertThat(b.array()).containsOnly(2);
        assertThat(d.finish().all()).isEmpty();
    }

    // ------------------------------------------------------------------ SHORT_TRANSFER read (KAFKA-4576)

    /** Reads length-prefixed records; the buggy reader takes a short header read as end of log. */
    private static int countRecords(FileChannel ch, boolean loop) throws IOException {
        int records = 0;
        long pos = 0;
        while (true) {
            ByteBuffer header = ByteBuffer.allocate(8);
            if (loop) {
                while (header.hasRemaining() && ch.read(header, pos + header.position()) >= 0) {
                    // keep reading: a short read is not the end
                }
            } else {
                ch.read(header, pos);
            }
            if (header.hasRemaining()) {
                return records; // "incomplete header: end of log"
            }
            header.flip();
            int size = header.getInt(4);
            if (header.getInt(0) != 0xCAFE || size <= 0) {
                return records;
            }
            ByteBuffer body = ByteBuffer.allocate(size);
            while (body.hasRemaining() && ch.read(body, pos + 8 + body.position()) >= 0) {
                // the body is read in a loop by both
            }
            records++;
            pos += 8 + size;
        }
    }

    private static void writeLog(FileChannel ch, int records) throws IOException {
        long pos = 0;
        for (int i = 0; i < records; i++) {
            ByteBuffer r = ByteBuffer.allocate(8 + 1000);
            r.putInt(0xCAFE).putInt(1000).put(filled(1000, i + 1)).flip();
            while (r.hasRemaining()) {
                pos += ch.write(r, pos);
            }
        }
    }

    @Test
    void shortReadTakenAsEndOfLogIsAShortTransfer() throws Exception {
        SimulatedDevice d = device(1.0);
        FileChannel ch = DeviceChannels.open(d, StandardOpenOption.READ, StandardOpenOption.WRITE);
        writeLog(ch, 5);
        ch.force(true);
        int found = countRecords(ch, false);
        ch.close();
        assertThat(found).isLessThan(5);
        List<Violation> vs = d.finish().all();
        assertThat(vs).extracting(Violation::kind).containsExactly(ViolationKind.SHORT_TRANSFER);
        long stop = found * 1008L;
        assertThat(vs.get(0).offset()).isBetween(stop + 1, stop + 7); // inside the header it gave up on
        assertThat(vs.get(0).detail()).contains("KAFKA-4576");
    }

    @Test
    void readerThatLoopsOverShortReadsFindsEveryRecordCleanly() throws Exception {
        SimulatedDevice d = device(1.0);
        FileChannel ch = DeviceChannels.open(d, StandardOpenOption.READ, StandardOpenOption.WRITE);
        writeLog(ch, 5);
        ch.force(true);
        assertThat(countRecords(ch, true)).isEqualTo(5);
        ch.close();
        assertThat(d.finish().all()).isEmpty();
    }

    // ------------------------------------------------------------------ SHORT_TRANSFER write (GEODE-2398)

    /** Appends header+body records with a gathering write; the buggy writer ignores the count. */
    private static long appendRecords(FileChannel ch, int records, boolean loop) throws IOException {
        long pos = 0;
        for (int i = 0; i < records; i++) {
            ByteBuffer header = ByteBuffer.allocate(8).putInt(0xCAFE).putInt(1000).flip();
            ByteBuffer body = ByteBuffer.wrap(filled(1000, i + 1));
            ByteBuffer[] record = {header, body};
            ch.position(pos);
            if (loop) {
                while (header.hasRemaining() || body.hasRemaining()) {
                    ch.write(record);
                }
            } else {
                ch.write(record);
            }
            pos += 1008;
        }
        ch.force(true);
        return pos;
    }

    @Test
    void gatheringWriteWhoseShortCountIsIgnoredIsAShortTransfer() throws Exception {
        SimulatedDevice d = device(1.0);
        FileChannel ch = DeviceChannels.open(d, StandardOpenOption.WRITE);
        appendRecords(ch, 3, false);
        List<Violation> vs = d.violations().ofKind(ViolationKind.SHORT_TRANSFER);
        assertThat(vs).hasSize(3);
        assertThat(vs.get(0).offset()).isBetween(1L, 1007L); // the lost tail of record 0
        assertThat(vs.get(0).offset() + vs.get(0).length()).isEqualTo(1008);
        assertThat(vs.get(0).detail()).contains("GEODE-2398");
        ch.close();
    }

    @Test
    void gatheringWriterThatDrainsItsBuffersIsClean() throws Exception {
        SimulatedDevice d = device(1.0);
        FileChannel ch = DeviceChannels.open(d, StandardOpenOption.WRITE);
        appendRecords(ch, 3, true);
        ch.close();
        assertThat(d.finish().all()).isEmpty();
    }
}
