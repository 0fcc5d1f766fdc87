package io.staleguard.device.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.Violation;
import io.staleguard.device.hooks.Gate;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.hooks.Stage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one ring-buffer workload of H1 and H2 on a real kernel, as the soak's host scenarios and the real-kernel tests
 * use it: what a run returns, what its own check and the oracle catch when a block is changed behind the writer's
 * back (and that the same run without the change is clean), its timeout, and its refusals.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RingBufferWorkloadTest {

    private static final long SEED = 0x4B1L;
    private static final int BS = 4096;
    /** The ring block whose first read the tests hold. */
    private static final int HELD_BLOCK = 5;

    @TempDir
    Path dir;

    private FileDevice device(String name) throws IOException {
        return FileDevice.builder().path(dir.resolve(name)).capacity(1 << 20).blockSize(BS).seed(SEED).build();
    }

    private static RingBufferWorkload workload(boolean async, RealBlockDevice dev, long writes) {
        return async ? RingBufferWorkload.h2(dev, writes, SEED) : RingBufferWorkload.h1(dev, writes, SEED);
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void aCleanRunReportsItsScenarioWritesReadsAndOperationsAndNoViolation(boolean async) throws Exception {
        try (FileDevice dev = device("ring.img")) {
            RingBufferWorkload.Result r = workload(async, dev, 300).run();

            assertThat(r.scenario()).isEqualTo(async ? "H2" : "H1");
            assertThat(r.writes()).isEqualTo(300);
            assertThat(r.reads()).isEqualTo(300);
            assertThat(r.operations()).as("300 writes, 300 reads, the preload").isEqualTo(601);
            assertThat(r.selfCheckMismatches()).isZero();
            assertThat(r.violations()).isEmpty();
            assertThat(r.violationTotal()).isZero();
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void aBlockChangedBehindTheWriterIsCaughtByTheSelfCheckAndTheOracleAtItsOffset(boolean async) throws Exception {
        RingBufferWorkload.Result r = runHoldingOneRead(async, true);

        assertThat(r.selfCheckMismatches()).as("the reader's own comparison").isEqualTo(1);
        assertThat(r.violationTotal()).as("the oracle's: %s", r.violations()).isPositive();
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void theSameRunHeldAtTheSameReadButNotChangedIsClean(boolean async) throws Exception {
        RingBufferWorkload.Result r = runHoldingOneRead(async, false);

        assertThat(r.selfCheckMismatches()).isZero();
        assertThat(r.violations()).isEmpty();
    }

    /** Holds the first read of {@link #HELD_BLOCK} before its DMA and, if {@code tamper}, overwrites the block then. */
    private RingBufferWorkload.Result runHoldingOneRead(boolean async, boolean tamper) throws Exception {
        Path image = dir.resolve("held.img");
        try (FileDevice dev = device("held.img")) {
            long off = (long) HELD_BLOCK * BS;
            Gate gate = dev.hooks().pause(OpMatcher.reads().overlapping(off, BS).atStage(Stage.DMA));
            RingBufferWorkload w = workload(async, dev, 200);
            CompletableFuture<RingBufferWorkload.Result> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return w.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            gate.awaitPaused(Duration.ofSeconds(30));
            if (tamper) {
                try (FileChannel ch = FileChannel.open(image, StandardOpenOption.WRITE)) {
                    ch.write(ByteBuffer.wrap(new byte[BS]), off);
                }
            }
            gate.release();
            RingBufferWorkload.Result r = run.get(60, TimeUnit.SECONDS);
            if (tamper) {
                List<Violation> all = dev.violations().all();
                assertThat(all).as("every violation is at the changed block").isNotEmpty()
                        .allSatisfy(v -> assertThat(v.offset()).isEqualTo(off));
            }
            return r;
        }
    }

    @Test
    void aRunThatDoesNotFinishInTimeFailsNamingTheHazardAndTheDeviceAndItsThreadsStop() throws Exception {
        try (FileDevice dev = device("hang.img")) {
            Gate gate = dev.hooks().pause(OpMatcher.reads().overlapping((long) HELD_BLOCK * BS, BS)
                    .atStage(Stage.DMA));
            RingBufferWorkload w = RingBufferWorkload.h1(dev, 1_000_000, SEED).timeout(Duration.ofMillis(500));

            assertThatThrownBy(w::run).isInstanceOf(IOException.class)
                    .hasMessage("the H1 ring buffer did not finish within 500 ms on " + dev.describe());
            gate.release();
            // The reader was held in a device call; released, it must see the stop and not read on for a million writes.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ringThreadsAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(ringThreadsAlive()).as("the ring's threads after the timeout").isFalse();
            assertThat(dev.operations()).as("the preload, up to 13 writes and 6 reads").isLessThan(30);
        }
    }

    private static boolean ringThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive()
                && (t.getName().equals("buffered-reader") || t.getName().equals("h1-dio-writer")));
    }

    @Test
    void aDeviceCallThatFailsFailsTheRunWithItsErrorAsTheCause() throws Exception {
        FileDevice dev = device("closed.img");
        try {
            // A ring write, not the preload, which covers the whole ring.
            Gate gate = dev.hooks().pause(OpMatcher.writes().overlapping((long) HELD_BLOCK * BS, BS)
                    .where(op -> op.length() == BS).atStage(Stage.SUBMIT));
            RingBufferWorkload w = RingBufferWorkload.h1(dev, 200, SEED);
            CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
                try {
                    w.run();
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            gate.awaitPaused(Duration.ofSeconds(30));
            dev.close(); // releases the gate: the held write and every later call meet a closed device

            Throwable t = run.get(60, TimeUnit.SECONDS);
            assertThat(t).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("the H1 ring buffer failed on " + dev.describe() + ": ")
                    .cause().isInstanceOf(IOException.class);
            assertThat(t.getMessage()).as("names the device call's error").endsWith(": " + t.getCause());
        } finally {
            dev.close();
        }
    }

    @Test
    void aPreloadThatFailsFailsTheRunTheSameWay() throws Exception {
        FileDevice dev = device("preload.img");
        RingBufferWorkload w = RingBufferWorkload.h2(dev, 200, SEED);
        dev.close();

        assertThatThrownBy(w::run).isInstanceOf(IOException.class)
                .hasMessageStartingWith("the H2 ring buffer failed on " + dev.describe() + ": ")
                .cause().isInstanceOf(IOException.class);
    }

    @Test
    void badArgumentsAreRefusedNamingTheValue() throws Exception {
        try (FileDevice dev = device("bad.img");
             FileDevice small = FileDevice.builder().path(dir.resolve("small.img")).capacity(64 * BS).blockSize(BS)
                     .seed(SEED).build()) {
            assertThatThrownBy(() -> RingBufferWorkload.h1(dev, 0, SEED)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("writes must be positive, but was 0");
            assertThatThrownBy(() -> RingBufferWorkload.h2(small, 10, SEED))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the ring needs 128 blocks of 4096 B, but " + small.describe() + " has 262144 B");
            assertThatThrownBy(() -> RingBufferWorkload.h1(dev, 10, SEED).timeout(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be positive, but was PT0S");
            assertThatThrownBy(() -> RingBufferWorkload.h1(null, 10, SEED)).isInstanceOf(NullPointerException.class)
                    .hasMessage("device");
        }
    }

    @Test
    void aWorkloadRunsOnce() throws Exception {
        try (FileDevice dev = device("once.img")) {
            RingBufferWorkload w = RingBufferWorkload.h1(dev, RingBufferWorkload.RING_BLOCKS, SEED);
            w.run();
            assertThatThrownBy(w::run).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the H1 ring buffer on " + dev.describe() + " already ran; make a new workload");
        }
    }
}
