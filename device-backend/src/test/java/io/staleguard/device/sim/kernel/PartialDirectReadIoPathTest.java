package io.staleguard.device.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.nio.file.ExtendedOpenOption;
import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.channels.DeviceChannels;
import io.staleguard.device.sim.SimulatedDevice;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * H5 under real threads: MariaDB's NOWAIT async direct read of four single-block extents with only
 * the first buffer page faulted in (003_*), on a {@link SimulatedDevice} with a {@link KernelIoPath}.
 */
class PartialDirectReadIoPathTest {

    static final int PAGE = 4096;
    static final long X = 8 * PAGE;
    static final int CAPACITY = 1 << 20;

    static SimulatedDevice device(KernelPreset preset, int blockSize, long seed) {
        return SimulatedDevice.builder().capacity(CAPACITY).blockSize(blockSize).seed(seed).ioPath(KernelIoPath.of(preset)).build();
    }

    static ByteBuffer aligned(int n) {
        ByteBuffer b = ByteBuffer.allocateDirect((n + PAGE - 1) / PAGE * PAGE + PAGE).alignedSlice(PAGE);
        b.limit(n);
        return b;
    }

    static byte fill(long offset) {
        return (byte) (1 + offset / 512 * 7);
    }

    /** Writes {@code [offset, +len)} with one direct write (one extent), content a function of the offset. */
    static void write(SimulatedDevice dev, long offset, int len) throws Exception {
        ByteBuffer b = aligned(len);
        for (int i = 0; i < len; i++) {
            b.put(i, fill(offset + i));
        }
        assertThat(dev.write(b, offset, IoMode.DIRECT)).isEqualTo(len);
    }

    /** MariaDB's file: {@code count} extents of one block each, written (and flushed) block by block. */
    static void singleBlockExtents(SimulatedDevice dev, long offset, int count) throws Exception {
        int bs = dev.logicalBlockSize();
        for (int i = 0; i < count; i++) {
            write(dev, offset + (long) i * bs, bs);
            dev.flush();
        }
    }

    /** MariaDB's file on a device of 4 KiB blocks: four single-block extents at {@link #X}. */
    static SimulatedDevice mariaDbFile(KernelPreset preset) throws Exception {
        SimulatedDevice dev = device(preset, PAGE, 1);
        singleBlockExtents(dev, X, 4);
        return dev;
    }

    static void assertContent(ByteBuffer b, long offset, int from, int to) {
        for (int i = from; i < to; i++) {
            assertThat(b.get(i)).as("byte %d", i).isEqualTo(fill(offset + i));
        }
    }

    static int readAsync(SimulatedDevice dev, ByteBuffer b, long offset, IoCaller caller) throws Exception {
        return dev.readAsync(b, offset, IoMode.DIRECT, caller).get(10, TimeUnit.SECONDS);
    }

    /** The bug: the future says one block, the reader takes it as the whole read, the tracker flags the rest. */
    @Test
    void mariaDbReaderTakingTheShortReadAsCompleteIsCaughtUnderTheBuggyPreset() throws Exception {
        try (SimulatedDevice dev = mariaDbFile(KernelPreset.IOMAP_DIO_PARTIAL_2022)) {
            IoCaller reader = IoCaller.newCaller("mariadb io_uring reader", true);
            ByteBuffer buf = aligned(4 * PAGE);
            int n = readAsync(dev, buf, X, reader);
            assertThat(n).isEqualTo(PAGE);
            assertThat(buf.position()).isEqualTo(PAGE);
            assertContent(buf, X, 0, PAGE);
            for (int i = PAGE; i < 4 * PAGE; i++) {
                assertThat(buf.get(i)).as("byte %d never delivered", i).isZero();
            }
            // The reader uses the buffer as a complete 16 KiB read and moves on to the next group.
            readAsync(dev, aligned(PAGE), X + 16 * PAGE, reader);
            assertThat(dev.violations().total()).as("short async reads stay pending until the caller is done")
                    .isZero();
            List<Violation> all = dev.finish().all();
            assertThat(all).hasSize(1);
            Violation v = all.get(0);
            assertThat(v.kind()).isEqualTo(ViolationKind.SHORT_TRANSFER);
            assertThat(v.offset()).isEqualTo(X + PAGE);
            assertThat(v.length()).isEqualTo(3L * PAGE);
            assertThat(v.lba()).isEqualTo((X + PAGE) / PAGE);
            assertThat(v.detail()).contains("transferred 4096", "at " + X);
        }
    }

    /** The correct twin: the same buggy kernel, a reader that continues at offset + count until it has everything. */
    @Test
    void readerThatContinuesStaysCleanUnderTheBuggyPreset() throws Exception {
        try (SimulatedDevice dev = mariaDbFile(KernelPreset.IOMAP_DIO_PARTIAL_2022)) {
            IoCaller reader = IoCaller.newCaller("looping reader", true);
            ByteBuffer buf = aligned(4 * PAGE);
            List<Integer> counts = new ArrayList<>();
            while (buf.hasRemaining()) {
                int n = readAsync(dev, buf, X + buf.position(), reader);
                assertThat(n).isPositive();
                counts.add(n);
            }
            assertThat(counts).containsExactly(PAGE, PAGE, PAGE, PAGE);
            assertContent(buf, X, 0, 4 * PAGE);
            assertThat(dev.finish().total()).isZero();
        }
    }

    /** Filipe Manana's fix: the same program gets all four blocks and nothing is flagged. */
    @Test
    void mariaDbProgramIsCleanAndCompleteUnderModern() throws Exception {
        try (SimulatedDevice dev = mariaDbFile(KernelPreset.MODERN)) {
            IoCaller reader = IoCaller.newCaller("mariadb io_uring reader", true);
            ByteBuffer buf = aligned(4 * PAGE);
            assertThat(readAsync(dev, buf, X, reader)).isEqualTo(4 * PAGE);
            assertContent(buf, X, 0, 4 * PAGE);
            readAsync(dev, aligned(PAGE), X + 16 * PAGE, reader);
            assertThat(dev.finish().total()).isZero();
        }
    }

    /** Only a NOWAIT (async) direct read is cut: the synchronous read and buffered reads of the same range are whole. */
    @Test
    void synchronousAndBufferedReadsAreNeverShort() throws Exception {
        try (SimulatedDevice dev = mariaDbFile(KernelPreset.IOMAP_DIO_PARTIAL_2022)) {
            assertThat(dev.read(aligned(4 * PAGE), X, IoMode.DIRECT)).isEqualTo(4 * PAGE);
            assertThat(dev.read(ByteBuffer.allocate(4 * PAGE), X, IoMode.BUFFERED)).isEqualTo(4 * PAGE);
            assertThat(dev.readAsync(ByteBuffer.allocate(4 * PAGE), X, IoMode.BUFFERED).get()).isEqualTo(4 * PAGE);
            assertThat(dev.finish().total()).isZero();
        }
    }

    /** One write, one extent: one iomap iteration, nothing to fault on after progress. Same for a hole. */
    @Test
    void singleExtentAndHoleReadsAreNeverShort() throws Exception {
        try (SimulatedDevice dev = device(KernelPreset.IOMAP_DIO_PARTIAL_2022, PAGE, 1)) {
            write(dev, X, 4 * PAGE);
            IoCaller reader = IoCaller.newCaller("reader", true);
            ByteBuffer buf = aligned(4 * PAGE);
            assertThat(readAsync(dev, buf, X, reader)).isEqualTo(4 * PAGE);
            assertContent(buf, X, 0, 4 * PAGE);
            // Overwriting part of an extent does not split it.
            write(dev, X + PAGE, PAGE);
            assertThat(readAsync(dev, aligned(4 * PAGE), X, reader)).isEqualTo(4 * PAGE);
            // Never written: one hole mapping.
            assertThat(readAsync(dev, aligned(8 * PAGE), 64 * PAGE, reader)).isEqualTo(8 * PAGE);
            assertThat(dev.finish().total()).isZero();
        }
    }

    /** A hole ends an extent's mapping: data then hole is two iterations, so the read stops after the data. */
    @Test
    void holeAfterAnExtentIsASecondMapping() throws Exception {
        try (SimulatedDevice dev = device(KernelPreset.IOMAP_DIO_PARTIAL_2022, PAGE, 1)) {
            write(dev, X, PAGE);
            IoCaller reader = IoCaller.newCaller("reader", true);
            assertThat(readAsync(dev, aligned(3 * PAGE), X, reader)).isEqualTo(PAGE);
            // A first mapping bigger than the faulted page faults with nothing submitted: btrfs faults
            // the buffer in and retries, so the read is whole.
            write(dev, X + 4 * PAGE, 2 * PAGE);
            write(dev, X + 6 * PAGE, PAGE);
            assertThat(readAsync(dev, aligned(3 * PAGE), X + 4 * PAGE, reader)).isEqualTo(3 * PAGE);
            List<Violation> v = dev.finish().all();
            assertThat(v).extracting(Violation::kind).containsExactly(ViolationKind.SHORT_TRANSFER);
            assertThat(v.get(0).offset()).isEqualTo(X + PAGE);
            assertThat(v.get(0).length()).isEqualTo(2L * PAGE);
        }
    }

    /** Buffer pages are 4 KiB: with 512-byte blocks the eight extents in the first page are read, the ninth faults. */
    @Test
    void smallBlocksAreCutAtTheFirstUnfaultedBufferPage() throws Exception {
        try (SimulatedDevice dev = device(KernelPreset.IOMAP_DIO_PARTIAL_2022, 512, 1)) {
            singleBlockExtents(dev, X, 16);
            IoCaller reader = IoCaller.newCaller("reader", true);
            ByteBuffer buf = aligned(2 * PAGE);
            assertThat(readAsync(dev, buf, X, reader)).isEqualTo(PAGE);
            assertContent(buf, X, 0, PAGE);
            assertThat(readAsync(dev, buf, X + PAGE, reader)).as("the continuation").isEqualTo(PAGE);
            assertContent(buf, X, 0, 2 * PAGE);
            // Four extents inside the first page: never short.
            assertThat(readAsync(dev, aligned(4 * 512), X, reader)).isEqualTo(4 * 512);
            assertThat(dev.finish().total()).isZero();
        }
    }

    /** A read that runs into the end of the device is short legally: end of data, never flagged. */
    @Test
    void readAtEndOfDeviceIsALegalShortRead() throws Exception {
        try (SimulatedDevice dev = device(KernelPreset.IOMAP_DIO_PARTIAL_2022, PAGE, 1)) {
            long tail = CAPACITY - 2 * PAGE;
            write(dev, tail, 2 * PAGE);
            IoCaller reader = IoCaller.newCaller("reader", true);
            ByteBuffer buf = aligned(4 * PAGE);
            assertThat(readAsync(dev, buf, tail, reader)).isEqualTo(2 * PAGE);
            assertContent(buf, tail, 0, 2 * PAGE);
            assertThat(readAsync(dev, aligned(PAGE), CAPACITY, reader)).isEqualTo(-1);
            assertThat(dev.finish().total()).isZero();
        }
    }

    /** ... but two extents before the end are cut at the first one, not at the end: flagged when not continued. */
    @Test
    void partialReadBeforeEndOfDeviceIsNotEndOfData() throws Exception {
        try (SimulatedDevice dev = device(KernelPreset.IOMAP_DIO_PARTIAL_2022, PAGE, 1)) {
            long tail = CAPACITY - 2 * PAGE;
            singleBlockExtents(dev, tail, 2);
            IoCaller reader = IoCaller.newCaller("reader", true);
            assertThat(readAsync(dev, aligned(4 * PAGE), tail, reader)).isEqualTo(PAGE);
            List<Violation> v = dev.finish().all();
            assertThat(v).extracting(Violation::kind).containsExactly(ViolationKind.SHORT_TRANSFER);
            assertThat(v.get(0).offset()).isEqualTo(tail + PAGE);
            assertThat(v.get(0).length()).as("what was asked, beyond the device included").isEqualTo(3L * PAGE);
        }
    }

    /** The unfaulted-buffer decision is drawn from the seed: same seed, same counts; another seed, other counts. */
    @Test
    void sameSeedSameReturnedCounts() throws Exception {
        List<Integer> a = counts(42, 0.5);
        assertThat(counts(42, 0.5)).isEqualTo(a);
        assertThat(a).contains(PAGE, 4 * PAGE);
        assertThat(counts(43, 0.5)).isNotEqualTo(a);
        assertThat(counts(42, 0.0)).containsOnly(4 * PAGE);
        assertThat(counts(42, 1.0)).containsOnly(PAGE);
    }

    static List<Integer> counts(long seed, double rate) throws Exception {
        KernelIoPath path = new KernelIoPath(KernelPreset.IOMAP_DIO_PARTIAL_2022.config()).unfaultedBufferRate(rate);
        assertThat(path.unfaultedBufferRate()).isEqualTo(rate);
        try (SimulatedDevice dev = SimulatedDevice.builder().capacity(CAPACITY).blockSize(PAGE).seed(seed)
                .ioPath(path).build()) {
            singleBlockExtents(dev, 0, 4 * 16);
            IoCaller reader = IoCaller.newCaller("reader", true);
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                out.add(readAsync(dev, aligned(4 * PAGE), (i % 16) * 4L * PAGE, reader));
            }
            return out;
        }
    }

    /**
     * Real threads: four looping readers (correct programs) on their own callers, racing a writer that
     * keeps overwriting the blocks they read. Under the buggy preset the reads are cut, the loops absorb
     * it, every byte read is a version the oracle allows, and nothing is flagged; one reader that stops
     * after its first completion is flagged, once, at the right place.
     */
    @Test
    void loopingReadersUnderThreadsStayCleanAndOneNonLoopingReaderIsCaught() throws Exception {
        try (SimulatedDevice dev = device(KernelPreset.IOMAP_DIO_PARTIAL_2022, PAGE, 3)) {
            singleBlockExtents(dev, 0, 64);
            java.util.concurrent.atomic.AtomicInteger shortReads = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; !stop.get(); i++) {
                        write(dev, (long) (i % 64) * PAGE, PAGE);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "overwriter");
            for (int t = 0; t < 4; t++) {
                int id = t;
                threads.add(new Thread(() -> {
                    try {
                        IoCaller reader = IoCaller.newCaller("looping reader " + id, true);
                        for (int round = 0; round < 200; round++) {
                            long off = (long) ((round * 7 + id * 16) % 60) * PAGE;
                            ByteBuffer buf = aligned(4 * PAGE);
                            while (buf.hasRemaining()) {
                                int n = readAsync(dev, buf, off + buf.position(), reader);
                                if (n < 4 * PAGE && buf.position() == n) {
                                    shortReads.incrementAndGet();
                                }
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }, "reader-" + t));
            }
            writer.start();
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join(60_000);
            }
            stop.set(true);
            writer.join(60_000);
            assertThat(errors).isEmpty();
            assertThat(shortReads.get()).as("first reads cut to one extent").isEqualTo(4 * 200);
            IoCaller careless = IoCaller.newCaller("careless reader", true);
            assertThat(readAsync(dev, aligned(4 * PAGE), 32L * PAGE, careless)).isEqualTo(PAGE);
            List<Violation> v = dev.finish().all();
            assertThat(v).extracting(Violation::kind).containsExactly(ViolationKind.SHORT_TRANSFER);
            assertThat(v.get(0).offset()).isEqualTo(33L * PAGE);
            assertThat(v.get(0).thread()).isEqualTo(Thread.currentThread().getName());
        }
    }

    @Test
    void badRateIsRejectedNamingIt() {
        KernelIoPath path = new KernelIoPath(KernelConfig.modern());
        assertThatThrownBy(() -> path.unfaultedBufferRate(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unfaultedBufferRate").hasMessageContaining("1.5");
        assertThatThrownBy(() -> path.unfaultedBufferRate(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
    }

    /** The AsynchronousFileChannel view gets the short count (future and handler); closing the channel flags it. */
    @Test
    void asynchronousFileChannelSeesTheShortCount() throws Exception {
        for (KernelPreset preset : new KernelPreset[] {KernelPreset.IOMAP_DIO_PARTIAL_2022, KernelPreset.MODERN}) {
            try (SimulatedDevice dev = mariaDbFile(preset)) {
                int expected = preset == KernelPreset.MODERN ? 4 * PAGE : PAGE;
                try (AsynchronousFileChannel ch = DeviceChannels.openAsynchronous(dev, StandardOpenOption.READ,
                        ExtendedOpenOption.DIRECT)) {
                    assertThat(ch.read(aligned(4 * PAGE), X).get(10, TimeUnit.SECONDS)).as(preset.name())
                            .isEqualTo(expected);
                    CompletableFuture<Integer> handled = new CompletableFuture<>();
                    ch.read(aligned(4 * PAGE), X, null, new CompletionHandler<Integer, Void>() {
                        @Override
                        public void completed(Integer result, Void attachment) {
                            handled.complete(result);
                        }

                        @Override
                        public void failed(Throwable exc, Void attachment) {
                            handled.completeExceptionally(exc);
                        }
                    });
                    assertThat(handled.get(10, TimeUnit.SECONDS)).as(preset.name()).isEqualTo(expected);
                }
                List<Violation> v = dev.violations().all();
                if (preset == KernelPreset.MODERN) {
                    assertThat(v).isEmpty();
                } else {
                    assertThat(v).extracting(Violation::kind)
                            .containsExactly(ViolationKind.SHORT_TRANSFER, ViolationKind.SHORT_TRANSFER);
                    assertThat(v).extracting(Violation::offset).containsOnly(X + PAGE);
                }
            }
        }
    }
}
