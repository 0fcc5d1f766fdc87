package io.staleguard.device.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.ShortTransferTracker;
import io.staleguard.device.oracle.ViolationRecorder;
import io.staleguard.device.sim.IoPath;
import io.staleguard.device.sim.MediaPort;
import io.staleguard.device.sim.PathOperation;
import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A page-cache fill whose read I/O fails (a latent sector error under the page): the page is unlocked and leaves
 * the cache, a reader that waited on its lock reads it again and gets the error too, nobody deadlocks, and once the
 * blocks read again the next read fills the page afresh. Under every preset. The read I/O fails through the device's
 * {@link MediaPort}, as the fault layer fails it.
 */
class PageCacheFillFailureTest {

    private static final int BS = 4096;
    private static final long BAD = 8 * BS;

    @ParameterizedTest
    @EnumSource(KernelPreset.class)
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aFailedFillUnlocksThePageAndTheWaiterGetsTheErrorToo(KernelPreset preset) throws Exception {
        FailingFills path = new FailingFills(KernelIoPath.of(preset));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (SimulatedDevice dev = SimulatedDevice.builder().capacity(1 << 20).blockSize(BS).seed(11).ioPath(path)
                .build()) {
            ByteBuffer v1 = ByteBuffer.allocateDirect(2 * BS).alignedSlice(BS);
            for (int i = 0; i < BS; i++) {
                v1.put(i, (byte) (i + 1));
            }
            v1.limit(BS);
            dev.write(v1, BAD, IoMode.DIRECT);
            path.failing = true;

            Future<?> first = pool.submit(() -> readBuffered(dev, BAD));
            assertThat(path.entered.await(10, TimeUnit.SECONDS)).as("the first fill reached the media").isTrue();
            Thread[] second = new Thread[1];
            Future<?> waiter = pool.submit(() -> {
                second[0] = Thread.currentThread();
                return readBuffered(dev, BAD + 100);
            });
            // The second reader finds the page locked by the fill and waits on it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((second[0] == null || second[0].getState() != Thread.State.BLOCKED) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(second[0].getState()).isEqualTo(Thread.State.BLOCKED);
            path.release.countDown();

            assertThatThrownBy(first::get).hasCauseInstanceOf(IOException.class)
                    .cause().hasMessage("Input/output error");
            assertThatThrownBy(waiter::get).hasCauseInstanceOf(IOException.class)
                    .cause().hasMessage("Input/output error");
            assertThat(path.failedFills.get()).as("the waiter issued the read I/O again").isGreaterThanOrEqualTo(2);

            path.failing = false;
            int before = path.fills.get();
            byte[] got = readBuffered(dev, BAD);
            assertThat(path.fills.get()).as("the failed page was not cached: the next read fills it").isGreaterThan(before);
            assertThat(ByteBuffer.wrap(got)).isEqualTo(v1.duplicate().position(0).limit(BS));
            assertThat(dev.finish().total()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(KernelPreset.class)
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aReadAheadFillThatFailsDoesNotFailTheReadBeforeIt(KernelPreset preset) throws Exception {
        FailingFills path = new FailingFills(KernelIoPath.of(preset));
        path.release.countDown();
        try (SimulatedDevice dev = SimulatedDevice.builder().capacity(1 << 20).blockSize(BS).seed(11).ioPath(path)
                .build()) {
            path.failing = true;
            // Page 0 is good; read-ahead of its window reaches the bad page 8 only if the window is that wide, and
            // either way the read of page 0 succeeds, as Linux ignores read-ahead errors.
            for (long p = 0; p < 8; p++) {
                readBuffered(dev, p * BS);
            }
            assertThatThrownBy(() -> readBuffered(dev, BAD)).isInstanceOf(IOException.class)
                    .hasMessage("Input/output error");
            assertThat(dev.finish().total()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(KernelPreset.class)
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aLatentSectorErrorFailsTheBufferedReadUntilTheBlockIsRewritten(KernelPreset preset) throws Exception {
        try (SimulatedDevice dev = SimulatedDevice.builder().capacity(1 << 20).blockSize(BS).seed(11)
                .ioPath(KernelIoPath.of(preset)).build()) {
            ByteBuffer v1 = ByteBuffer.allocateDirect(2 * BS).alignedSlice(BS);
            v1.limit(BS);
            for (int i = 0; i < BS; i++) {
                v1.put(i, (byte) (i * 7));
            }
            dev.write(v1.duplicate(), BAD, IoMode.DIRECT);
            dev.faults().failReads(BAD, BS);
            assertThatThrownBy(() -> readBuffered(dev, BAD)).isInstanceOf(IOException.class)
                    .hasMessage("Input/output error");
            assertThatThrownBy(() -> readBuffered(dev, BAD + 512)).as("not cached: the next read fails too")
                    .isInstanceOf(IOException.class).hasMessage("Input/output error");
            // Pages before the bad one are read (read-ahead into it is ignored).
            readBuffered(dev, 0);
            dev.write(v1.duplicate(), BAD, IoMode.DIRECT);
            byte[] got = readBuffered(dev, BAD);
            assertThat(ByteBuffer.wrap(got)).isEqualTo(v1.duplicate().position(0).limit(BS));
            assertThat(dev.finish().total()).isZero();
        }
    }

    private static byte[] readBuffered(SimulatedDevice dev, long off) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(BS - (int) (off % BS));
        dev.read(b, off, IoMode.BUFFERED);
        return b.array();
    }

    /** A kernel path whose media fails every read I/O of the page at {@link #BAD} while {@link #failing}. */
    private static final class FailingFills implements IoPath {
        final KernelIoPath inner;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger fills = new AtomicInteger();
        final AtomicInteger failedFills = new AtomicInteger();
        volatile boolean failing;
        private Port port;

        FailingFills(KernelIoPath inner) {
            this.inner = inner;
        }

        @Override
        public void attach(MediaPort p) {
            port = new Port(p);
            inner.attach(port);
        }

        @Override
        public boolean transfer(PathOperation op, MediaPort p) throws IOException {
            return inner.transfer(op, port);
        }

        @Override
        public void submitted(PathOperation op, MediaPort p) {
            inner.submitted(op, port);
        }

        @Override
        public void flush(MediaPort p) throws IOException {
            inner.flush(port);
        }

        @Override
        public void force(IoCaller caller, boolean failWriteback, MediaPort p) throws IOException {
            inner.force(caller, failWriteback, port);
        }

        @Override
        public void close(MediaPort p) {
            inner.close(port);
        }

        private final class Port implements MediaPort {
            private final MediaPort dev;

            Port(MediaPort dev) {
                this.dev = dev;
            }

            @Override
            public void readMediaVerified(long offset, byte[] dst, int off, int len, String who) {
                if (offset < BAD + BS && BAD < offset + len) {
                    if (failing) {
                        entered.countDown();
                        try {
                            release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        failedFills.incrementAndGet();
                        throw new UncheckedIOException(new IOException("Input/output error"));
                    }
                    fills.incrementAndGet();
                }
                dev.readMediaVerified(offset, dst, off, len, who);
            }

            @Override
            public void transferToMedia(PathOperation op) throws IOException {
                dev.transferToMedia(op);
            }

            @Override
            public void writeBack(long offset, byte[] blocks) throws IOException {
                dev.writeBack(offset, blocks);
            }

            @Override
            public void readRaw(long offset, ByteBuffer dst) {
                dev.readRaw(offset, dst);
            }

            @Override
            public void checkTakenAgainstSubmission(PathOperation op, byte[] image, int head) {
                dev.checkTakenAgainstSubmission(op, image, head);
            }

            @Override
            public HistoryOracle oracle() {
                return dev.oracle();
            }

            @Override
            public ViolationRecorder recorder() {
                return dev.recorder();
            }

            @Override
            public ShortTransferTracker shortTransfers() {
                return dev.shortTransfers();
            }

            @Override
            public int logicalBlockSize() {
                return dev.logicalBlockSize();
            }

            @Override
            public long capacity() {
                return dev.capacity();
            }

            @Override
            public long seed() {
                return dev.seed();
            }

            @Override
            public ProtectionFormat protection() {
                return dev.protection();
            }

            @Override
            public String describe() {
                return dev.describe();
            }
        }
    }
}
