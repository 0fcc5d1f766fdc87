package io.staleguard.device.sim.kernel;

import static io.staleguard.device.sim.kernel.KernelIoPathTest.BS;
import static io.staleguard.device.sim.kernel.KernelIoPathTest.aligned;
import static io.staleguard.device.sim.kernel.KernelIoPathTest.readBuffered;
import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.hooks.Gate;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.hooks.Stage;
import io.staleguard.device.sim.SimulatedDevice;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The windows between a submission and its DMA under real threads: forced with a DMA gate, each
 * buggy preset is caught at the right place and its fixed twin (the same program under MODERN) is
 * clean.
 */
class KernelIoPathWindowsTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final long WRITE_AT = 8192;

    static SimulatedDevice device(KernelConfig cfg) {
        return SimulatedDevice.builder().capacity(1 << 20).blockSize(BS).seed(11).ioPath(KernelIoPath.of(cfg)).build();
    }

    /**
     * 65b8291c: the invalidation runs when the direct write is submitted; read-ahead while its data
     * is in flight caches the old page, and only bdb76ef5's invalidation after the write drops it.
     */
    @Test
    void readAheadWhileASyncDirectWriteIsInFlight() throws Exception {
        for (KernelPreset p : new KernelPreset[] {KernelPreset.DIO_NO_POST_INVALIDATE_2007, KernelPreset.MODERN}) {
            try (SimulatedDevice dev = device(p.config())) {
                Gate gate = dev.hooks().pause(OpMatcher.writes().mode(IoMode.DIRECT).atStage(Stage.DMA));
                CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> {
                    try {
                        return dev.write(aligned(4096, 1), WRITE_AT, IoMode.DIRECT);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(gate.awaitPaused(WAIT)).as("the write reached its DMA").isNotNull();
                readBuffered(dev, 0, 4096);  // read-ahead caches pages 0-3, the old page 2 among them
                gate.release();
                assertThat(writer.get(10, TimeUnit.SECONDS)).isEqualTo(4096);

                byte[] got = readBuffered(dev, WRITE_AT, 4096);
                assertStaleOnlyUnderTheBug(dev, p, got);
            }
        }
    }

    /**
     * 65b8291c's other half: "It still invalidated it before writes so most users were fine." A page
     * cached before the write, with no read while the data is in flight, is dropped by the
     * invalidation at submission; with none at all (the regression's worst case) it stays stale.
     */
    @Test
    void invalidationBeforeTheWriteDropsPagesCachedEarlier() throws Exception {
        for (KernelPreset p : new KernelPreset[] {KernelPreset.DIO_NO_INVALIDATE,
            KernelPreset.DIO_NO_POST_INVALIDATE_2007}) {
            try (SimulatedDevice dev = device(p.config())) {
                readBuffered(dev, 0, 4096);  // pages 0-3 cached before the write
                dev.write(aligned(4096, 1), WRITE_AT, IoMode.DIRECT);
                byte[] got = readBuffered(dev, WRITE_AT, 4096);
                long stale = dev.violations().count(ViolationKind.STALE_READ);
                if (p == KernelPreset.DIO_NO_INVALIDATE) {
                    assertThat(stale).isPositive();
                    assertThat(got[0]).isZero();
                } else {
                    assertThat(dev.violations().total()).as(dev.violations().all().toString()).isZero();
                    assertThat(got[0]).isEqualTo((byte) 1);
                }
            }
        }
    }

    /**
     * 2008 AIO: the sync path's "after" invalidation ran when the submission returned, the
     * completion came from the interrupt without one. The 2017 fix invalidates before signalling.
     */
    @Test
    void readAheadWhileAnAsyncDirectWriteIsInFlight() throws Exception {
        for (KernelPreset p : new KernelPreset[] {KernelPreset.AIO_DIO_IRQ_COMPLETION_2008, KernelPreset.MODERN}) {
            try (SimulatedDevice dev = device(p.config())) {
                Gate gate = dev.hooks().pause(OpMatcher.writes().mode(IoMode.DIRECT).async().atStage(Stage.DMA));
                CompletableFuture<Integer> write = dev.writeAsync(aligned(4096, 1), WRITE_AT, IoMode.DIRECT);
                assertThat(gate.awaitPaused(WAIT)).isNotNull();
                readBuffered(dev, 0, 4096);
                gate.release();
                assertThat(write.get(10, TimeUnit.SECONDS)).isEqualTo(4096);

                byte[] got = readBuffered(dev, WRITE_AT, 4096);
                assertStaleOnlyUnderTheBug(dev, p, got);
            }
        }
    }

    private static void assertStaleOnlyUnderTheBug(SimulatedDevice dev, KernelPreset p, byte[] got) {
        if (p == KernelPreset.MODERN) {
            assertThat(dev.violations().total()).as(p + ": " + dev.violations().all()).isZero();
            assertThat(got[0]).isEqualTo((byte) 1);
            return;
        }
        List<Violation> stale = dev.violations().ofKind(ViolationKind.STALE_READ);
        assertThat(stale).as(p.name()).isNotEmpty();
        assertThat(stale.get(0).offset()).isBetween(WRITE_AT, WRITE_AT + 4096 - BS);
        assertThat(got[0]).as("the reader got the page read ahead before the data landed").isZero();
    }

    /**
     * Blocks smaller than a page: a buffered write to one block of a page while a direct write to
     * another block of it is in flight. Writeback and laundering write only the dirty blocks (as
     * buffer heads do), so the old copy of the direct write's block never goes back over it.
     */
    @Test
    void bufferedAndDirectWritesToDifferentBlocksOfOnePageKeepBoth() throws Exception {
        try (SimulatedDevice dev = device(KernelConfig.modern())) {
            Gate gate = dev.hooks().pause(OpMatcher.writes().mode(IoMode.DIRECT).atStage(Stage.DMA));
            CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> {
                try {
                    return dev.write(aligned(BS, 1), BS, IoMode.DIRECT);   // block 1 of page 0
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(gate.awaitPaused(WAIT)).isNotNull();
            dev.write(ByteBuffer.wrap(new byte[] {7, 7, 7}), 10, IoMode.BUFFERED);   // block 0: page 0 cached, dirty
            gate.release();
            writer.get(10, TimeUnit.SECONDS);
            dev.flush();

            ByteBuffer back = aligned(2 * BS, 0);
            dev.read(back, 0, IoMode.DIRECT);
            assertThat(dev.violations().total()).as(dev.violations().all().toString()).isZero();
            assertThat(back.get(10)).isEqualTo((byte) 7);
            assertThat(back.get(BS)).isEqualTo((byte) 1);
        }
    }

    /**
     * RATIS-2114 in buffered mode: the buffer of an asynchronous buffered write is reused before the
     * page cache copied it; the protection computed at submission no longer matches. The twin
     * waits for the write before touching the buffer.
     */
    @Test
    void bufferedAsyncWriteWithItsBufferReusedIsAGuardTagViolation() throws Exception {
        for (boolean reuse : new boolean[] {true, false}) {
            try (SimulatedDevice dev = device(KernelConfig.modern())) {
                Gate gate = dev.hooks().pause(OpMatcher.writes().mode(IoMode.BUFFERED).atStage(Stage.DMA));
                ByteBuffer buf = aligned(4096, 3);
                CompletableFuture<Integer> write = dev.writeAsync(buf, WRITE_AT, IoMode.BUFFERED);
                assertThat(gate.awaitPaused(WAIT)).isNotNull();
                if (reuse) {
                    buf.put(700, (byte) 0x5A);   // the next record goes into the same buffer
                }
                gate.release();
                write.get(10, TimeUnit.SECONDS);
                dev.flush();

                List<Violation> guard = dev.violations().ofKind(ViolationKind.GUARD_TAG);
                if (reuse) {
                    assertThat(guard).hasSize(1);
                    assertThat(guard.get(0).offset()).isEqualTo(WRITE_AT + BS);  // the block holding byte 700
                    assertThat(guard.get(0).length()).isEqualTo(BS);
                    assertThat(dev.violations().total()).isEqualTo(1);
                } else {
                    assertThat(dev.violations().total()).as(dev.violations().all().toString()).isZero();
                }
                // Either way the file holds what the cache took: the data is not lost or corrupted.
                ByteBuffer back = ByteBuffer.allocate(4096);
                dev.read(back, WRITE_AT, IoMode.BUFFERED);
                assertThat(back.get(700)).isEqualTo(reuse ? (byte) 0x5A : (byte) (3 + 700));
            }
        }
    }

    /**
     * Short buffered writes through the page cache: a writer that continues each short write is
     * clean at force and at close, even with tails too large to be copied (so the tracker reads
     * them back); a writer that takes the first count as final is caught.
     */
    @Test
    void shortBufferedWritesAreJudgedOnWhatTheCacheHolds() throws Exception {
        for (boolean continues : new boolean[] {true, false}) {
            SimulatedDevice dev = SimulatedDevice.builder().capacity(4 << 20).blockSize(BS).seed(5)
                    .shortTransferProbability(1.0).ioPath(KernelIoPath.of(KernelConfig.modern())).build();
            IoCaller caller = IoCaller.newCaller("log", true);
            int n = 256 * 1024;
            long at = 0;
            for (int round = 0; round < 4; round++) {
                ByteBuffer buf = ByteBuffer.allocate(n);
                for (int i = 0; i < n; i++) {
                    buf.put(i, (byte) (round * 31 + i));
                }
                int first = dev.write(buf, at, IoMode.BUFFERED, caller);
                assertThat(first).as("every write is cut short").isLessThan(n);
                while (continues && buf.hasRemaining()) {
                    dev.write(buf, at + buf.position(), IoMode.BUFFERED, caller);
                }
                at += n;
            }
            dev.force(caller);
            dev.close();
            long shorts = dev.violations().count(ViolationKind.SHORT_TRANSFER);
            if (continues) {
                assertThat(dev.violations().total()).as(dev.violations().all().toString()).isZero();
            } else {
                assertThat(shorts).isEqualTo(4);
                assertThat(dev.violations().ofKind(ViolationKind.SHORT_TRANSFER).get(0).offset()).isPositive();
            }
        }
    }

    /**
     * A continued short write whose range is written again before the force: the tail reached the
     * file when the cache took it, so the later content at force time is not a lost tail.
     */
    @Test
    void aContinuedTailOverwrittenBeforeTheForceIsNotLost() throws Exception {
        try (SimulatedDevice dev = SimulatedDevice.builder().capacity(1 << 20).blockSize(BS).seed(9)
                .shortTransferProbability(1.0).ioPath(KernelIoPath.of(KernelConfig.modern())).build()) {
            IoCaller caller = IoCaller.newCaller("wal", true);
            int n = 16 * 1024;
            for (int round = 0; round < 3; round++) {
                ByteBuffer buf = ByteBuffer.allocate(n);
                for (int i = 0; i < n; i++) {
                    buf.put(i, (byte) (round * 17 + i));
                }
                int first = dev.write(buf, 0, IoMode.BUFFERED, caller);
                assertThat(first).isLessThan(n);
                while (buf.hasRemaining()) {
                    dev.write(buf, buf.position(), IoMode.BUFFERED, caller);
                }
            }
            dev.force(caller);
            assertThat(dev.violations().total()).as(dev.violations().all().toString()).isZero();
        }
    }

    /**
     * The page cache reads the media as the block layer does: a block corrupted under the device
     * fails its guard when a buffered read brings it in, as it does for a direct read. The twin
     * reads an untouched block of the same page range and is clean.
     */
    @Test
    void aPageFillVerifiesProtectionInformation() throws Exception {
        for (boolean corrupt : new boolean[] {true, false}) {
            try (SimulatedDevice dev = device(KernelConfig.modern())) {
                dev.write(aligned(4096, 5), WRITE_AT, IoMode.DIRECT);
                if (corrupt) {
                    byte[] junk = new byte[BS];
                    java.util.Arrays.fill(junk, (byte) 0x6B);
                    dev.tamper().corruptData(WRITE_AT + 2 * BS, junk);
                }
                dev.read(ByteBuffer.allocate(100), WRITE_AT, IoMode.BUFFERED);   // fills the page, whole
                List<Violation> guard = dev.violations().ofKind(ViolationKind.GUARD_TAG);
                if (corrupt) {
                    assertThat(guard).isNotEmpty();
                    assertThat(guard.get(0).offset()).isEqualTo(WRITE_AT + 2 * BS);
                    assertThat(guard.get(0).thread()).isEqualTo("page-cache fill");
                } else {
                    assertThat(dev.violations().total()).as(dev.violations().all().toString()).isZero();
                }
            }
        }
    }
}
