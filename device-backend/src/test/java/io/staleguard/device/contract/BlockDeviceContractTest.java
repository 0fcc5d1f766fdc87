package io.staleguard.device.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.nio.file.ExtendedOpenOption;
import io.staleguard.device.IoMode;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.channels.DeviceChannels;
import io.staleguard.device.hooks.Gate;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.hooks.Stage;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.core.VerifyingDevice;
import io.staleguard.device.oracle.IoConsistencyException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every {@link io.staleguard.device.BlockDevice} backend keeps. A backend's test
 * extends this class and implements {@link #create}; the same tests then run against it.
 * Devices created through {@link #device} are closed after each test.
 */
public abstract class BlockDeviceContractTest {

    private final List<VerifyingDevice> created = new ArrayList<>();

    /** A new, empty device as {@code spec} asks; closed by the test base after the test. */
    protected abstract VerifyingDevice create(ContractSpec spec) throws IOException;

    /** Creates a device and remembers it for closing. */
    protected final VerifyingDevice device(ContractSpec spec) throws IOException {
        VerifyingDevice d = create(spec);
        created.add(d);
        return d;
    }

    @AfterEach
    void closeDevices() throws IOException {
        for (VerifyingDevice d : created) {
            d.close();
        }
        created.clear();
    }

    // ------------------------------------------------------------------ helpers

    protected static ByteBuffer aligned(int size, int blockSize) {
        int rounded = (size + blockSize - 1) / blockSize * blockSize;
        return ByteBuffer.allocateDirect(rounded + blockSize).alignedSlice(blockSize).limit(size);
    }

    protected static byte[] pattern(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Writes all of {@code src} at {@code offset}, looping over short writes as a correct program must. */
    protected static void writeFully(VerifyingDevice d, ByteBuffer src, long offset, IoMode mode) throws IOException {
        long at = offset;
        while (src.hasRemaining()) {
            at += d.write(src, at, mode);
        }
    }

    /** Reads until {@code dst} is full or the device ends, looping over short reads. */
    protected static void readFully(VerifyingDevice d, ByteBuffer dst, long offset, IoMode mode) throws IOException {
        long at = offset;
        while (dst.hasRemaining()) {
            int n = d.read(dst, at, mode);
            if (n < 0) {
                return;
            }
            at += n;
        }
    }

    protected static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate().flip();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    // ------------------------------------------------------------------ geometry

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void reportsGeometryAndProtection(int bs) throws IOException {
        VerifyingDevice d = device(ContractSpec.of(bs).withProtection(ProtectionFormat.NVME_CRC64_TYPE1));
        assertThat(d.logicalBlockSize()).isEqualTo(bs);
        assertThat(d.capacity()).isEqualTo(1 << 20);
        assertThat(d.protection()).isEqualTo(ProtectionFormat.NVME_CRC64_TYPE1);
        assertThat(d.describe()).contains("0x5eed");
    }

    // ------------------------------------------------------------------ round trips

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void bufferedRoundTripAtUnalignedOffsetsKeepsNeighbours(int bs) throws IOException {
        VerifyingDevice d = device(ContractSpec.of(bs));
        byte[] base = pattern(3 * bs, 1);
        writeFully(d, ByteBuffer.wrap(base), 0, IoMode.BUFFERED);
        byte[] patch = pattern(bs + 100, 2);
        writeFully(d, ByteBuffer.wrap(patch), bs - 50, IoMode.BUFFERED);

        ByteBuffer back = ByteBuffer.allocate(3 * bs);
        readFully(d, back, 0, IoMode.BUFFERED);
        byte[] expected = base.clone();
        System.arraycopy(patch, 0, expected, bs - 50, patch.length);
        assertThat(back.array()).isEqualTo(expected);
        assertThat(d.finish().total()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void directRoundTrip(int bs) throws IOException {
        VerifyingDevice d = device(ContractSpec.of(bs));
        ByteBuffer src = aligned(4 * bs, bs);
        src.put(pattern(4 * bs, 3)).flip();
        assertThat(d.write(src, 8L * bs, IoMode.DIRECT)).isEqualTo(4 * bs);
        assertThat(src.hasRemaining()).isFalse();
        ByteBuffer dst = aligned(4 * bs, bs);
        assertThat(d.read(dst, 8L * bs, IoMode.DIRECT)).isEqualTo(4 * bs);
        assertThat(bytes(dst)).isEqualTo(pattern(4 * bs, 3));
        assertThat(d.finish().total()).isZero();
    }

    @Test
    void neverWrittenBlocksReadAsZerosWithoutViolations() throws IOException {
        VerifyingDevice d = device(ContractSpec.of(4096));
        ByteBuffer dst = aligned(8192, 4096);
        assertThat(d.read(dst, 65536, IoMode.DIRECT)).isEqualTo(8192);
        assertThat(bytes(dst)).containsOnly(0);
        assertThat(d.finish().total()).isZero();
    }

    @Test
    void scatterGatherRoundTrip() throws IOException {
        VerifyingDevice d = device(ContractSpec.of(512));
        ByteBuffer[] srcs = {ByteBuffer.wrap(pattern(100, 4)), ByteBuffer.wrap(pattern(700, 5)), ByteBuffer.wrap(pattern(30, 6))};
        assertThat(d.write(srcs, 1000, IoMode.BUFFERED, io.staleguard.device.IoCaller.DEVICE)).isEqualTo(830);
        ByteBuffer[] dsts = {ByteBuffer.allocate(30), ByteBuffer.allocate(800)};
        assertThat(d.read(dsts, 1000, IoMode.BUFFERED, io.staleguard.device.IoCaller.DEVICE)).isEqualTo(830);
        byte[] all = new byte[830];
        System.arraycopy(pattern(100, 4), 0, all, 0, 100);
        System.arraycopy(pattern(700, 5), 0, all, 100, 700);
        System.arraycopy(pattern(30, 6), 0, all, 800, 30);
        byte[] got = new byte[830];
        System.arraycopy(dsts[0].array(), 0, got, 0, 30);
        System.arraycopy(dsts[1].array(), 0, got, 30, 800);
        assertThat(got).isEqualTo(all);
        assertThat(d.finish().total()).isZero();
    }

    @Test
    void asyncRoundTripAdvancesPositionsOnCompletion() throws Exception {
        VerifyingDevice d = device(ContractSpec.of(4096));
        ByteBuffer src = aligned(8192, 4096);
        src.put(pattern(8192, 7)).flip();
        CompletableFuture<Integer> w = d.writeAsync(src, 4096, IoMode.DIRECT);
        assertThat(w.get(10, TimeUnit.SECONDS)).isEqualTo(8192);
        assertThat(src.position()).isEqualTo(8192);
        ByteBuffer dst = aligned(8192, 4096);
        assertThat(d.readAsync(dst, 4096, IoMode.DIRECT).get(10, TimeUnit.SECONDS)).isEqualTo(8192);
        assertThat(bytes(dst)).isEqualTo(pattern(8192, 7));
        d.flush();
        assertThat(d.finish().total()).isZero();
    }

    @Test
    void readsAtAndAcrossTheEnd() throws IOException {
        VerifyingDevice d = device(ContractSpec.of(512));
        ByteBuffer dst = ByteBuffer.allocate(1024);
        assertThat(d.read(dst, d.capacity(), IoMode.BUFFERED)).isEqualTo(-1);
        assertThat(d.read(dst, d.capacity() + 4096, IoMode.BUFFERED)).isEqualTo(-1);
        assertThat(d.read(dst, d.capacity() - 100, IoMode.BUFFERED)).isEqualTo(100);
        assertThat(d.finish().total()).isZero();
    }

    // ------------------------------------------------------------------ short transfers

    @Test
    void shortTransfersAreLegalAndLoopingProgramsAreClean() throws IOException {
        VerifyingDevice d = device(ContractSpec.of(512).withShortTransfers(0.5));
        int shortWrites = 0;
        int shortReads = 0;
        for (int i = 0; i < 40; i++) {
            byte[] data = pattern(4096, 100 + i);
            ByteBuffer src = ByteBuffer.wrap(data);
            long at = i * 8192L + 3;
            while (src.hasRemaining()) {
                int want = src.remaining();
                int n = d.write(src, at, IoMode.BUFFERED);
                assertThat(n).isBetween(1, want);
                if (n < want) {
                    shortWrites++;
                }
                at += n;
            }
            ByteBuffer dst = ByteBuffer.allocate(4096);
            at = i * 8192L + 3;
            while (dst.hasRemaining()) {
                int want = dst.remaining();
                int n = d.read(dst, at, IoMode.BUFFERED);
                if (n < want) {
                    shortReads++;
                }
                at += n;
            }
            assertThat(dst.array()).isEqualTo(data);
        }
        assertThat(shortWrites).isPositive();
        assertThat(shortReads).isPositive();
        d.flush();
        assertThat(d.finish().total()).isZero();
    }

    @Test
    void directShortTransfersStayBlockAligned() throws IOException {
        VerifyingDevice d = device(ContractSpec.of(512).withShortTransfers(0.9));
        boolean sawShort = false;
        for (int i = 0; i < 20; i++) {
            ByteBuffer src = aligned(8 * 512, 512);
            src.put(pattern(4096, i)).flip();
            long at = i * 4096L;
            while (src.hasRemaining()) {
                int n = d.write(src, at, IoMode.DIRECT);
                assertThat(n % 512).isZero();
                sawShort |= n < 4096;
                at += n;
            }
        }
        assertThat(sawShort).isTrue();
        d.flush();
        assertThat(d.finish().total()).isZero();
    }

    // ------------------------------------------------------------------ direct-I/O alignment

    @Test
    void directRejectsUnalignedOffsetLikeTheJdk() throws IOException {
        VerifyingDevice d = device(ContractSpec.of(4096));
        assertThatThrownBy(() -> d.write(aligned(4096, 4096), 512, IoMode.DIRECT))
                .isInstanceOf(IOException.class)
                .hasMessage("Channel position (512) is not a multiple of the block size (4096)");
        assertThatThrownBy(() -> d.read(aligned(4096, 4096), 100, IoMode.DIRECT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Channel position (100)");
    }

    @Test
    void directRejectsUnalignedLength() throws IOException {
        VerifyingDevice d = device(ContractSpec.of(4096));
        assertThatThrownBy(() -> d.write(aligned(4000, 4096), 0, IoMode.DIRECT))
                .isInstanceOf(IOException.class)
                .hasMessage("Number of remaining bytes (4000) is not a multiple of the block size (4096)");
    }

    @Test
    void directRejectsUnalignedBufferAddress() throws IOException {
        VerifyingDevice d = device(ContractSpec.of(512));
        ByteBuffer b = ByteBuffer.allocateDirect(4096).alignedSlice(512);
        b.position(8).limit(8 + 512);
        assertThatThrownBy(() -> d.write(b, 0, IoMode.DIRECT))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("Current position of the bytebuffer (8) is not a multiple of the block size (512)");
    }

    @Test
    void directAcceptsAlignedHeapBuffersLikeTheJdk() throws IOException {
        VerifyingDevice d = device(ContractSpec.of(512));
        ByteBuffer src = ByteBuffer.allocate(1024);
        for (int i = 0; i < 1024; i++) {
            src.put(i, (byte) (i * 7));
        }
        writeFully(d, src, 512, IoMode.DIRECT);
        ByteBuffer dst = ByteBuffer.allocate(1024);
        readFully(d, dst, 512, IoMode.DIRECT);
        assertThat(dst.flip()).isEqualTo(src.flip());
        assertThatThrownBy(() -> d.read(ByteBuffer.allocate(100), 0, IoMode.DIRECT))
                .isInstanceOf(IOException.class)
                .hasMessage("Number of remaining bytes (100) is not a multiple of the block size (512)");
        assertThat(d.finish().total()).isZero();
    }

    @Test
    void asyncArgumentErrorsCompleteTheFutureExceptionally() throws IOException {
        VerifyingDevice d = device(ContractSpec.of(4096));
        CompletableFuture<Integer> f = d.writeAsync(aligned(4096, 4096), 10, IoMode.DIRECT);
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class).hasMessageContaining("Channel position (10)");
        CompletableFuture<Integer> g = d.readAsync(ByteBuffer.allocate(10), -3, IoMode.BUFFERED);
        assertThatThrownBy(() -> g.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-3");
    }

    // ------------------------------------------------------------------ bad arguments

    @Test
    void badArgumentsNameTheBadValue() throws IOException {
        VerifyingDevice d = device(ContractSpec.of(512));
        assertThatThrownBy(() -> d.read(ByteBuffer.allocate(10), -7, IoMode.BUFFERED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-7");
        assertThatThrownBy(() -> d.write(ByteBuffer.allocate(10), -8, IoMode.BUFFERED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-8");
        assertThatThrownBy(() -> d.write((ByteBuffer) null, 0, IoMode.BUFFERED))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("src");
        assertThatThrownBy(() -> d.read(ByteBuffer.allocate(10).asReadOnlyBuffer(), 0, IoMode.BUFFERED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Read-only");
        assertThatThrownBy(() -> d.write(ByteBuffer.allocate(10), d.capacity() + 512, IoMode.BUFFERED))
                .isInstanceOf(IOException.class).hasMessageContaining(String.valueOf(d.capacity() + 512));
        assertThatThrownBy(() -> d.write(new ByteBuffer[] {ByteBuffer.allocate(1), null}, 0, IoMode.BUFFERED,
                io.staleguard.device.IoCaller.DEVICE)).isInstanceOf(NullPointerException.class).hasMessageContaining("srcs[1]");
    }

    @Test
    void writeAcrossTheEndIsShortAtTheEnd() throws IOException {
        VerifyingDevice d = device(ContractSpec.of(512));
        int n = d.write(ByteBuffer.allocate(1000), d.capacity() - 100, IoMode.BUFFERED);
        assertThat(n).isEqualTo(100);
    }

    @Test
    void closedDeviceThrowsClosedChannelExceptionNamingIt() throws Exception {
        VerifyingDevice d = device(ContractSpec.of(512));
        d.close();
        assertThatThrownBy(() -> d.read(ByteBuffer.allocate(10), 0, IoMode.BUFFERED))
                .isInstanceOf(ClosedChannelException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> d.write(ByteBuffer.allocate(10), 0, IoMode.BUFFERED))
                .isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(d::flush).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> d.writeAsync(ByteBuffer.allocate(10), 0, IoMode.BUFFERED).get())
                .hasCauseInstanceOf(ClosedChannelException.class);
        d.close(); // idempotent
    }

    // ------------------------------------------------------------------ verification

    @Test
    void bufferModifiedAfterAsyncSubmitIsAGuardTagViolationAtItsBlock() throws Exception {
        VerifyingDevice d = device(ContractSpec.of(4096));
        ByteBuffer buf = aligned(3 * 4096, 4096);
        buf.put(pattern(3 * 4096, 9)).flip();
        Gate gate = d.hooks().pause(OpMatcher.writes().overlapping(0, 3 * 4096).atStage(Stage.DMA));
        CompletableFuture<Integer> f = d.writeAsync(buf, 0, IoMode.DIRECT);
        gate.awaitPaused(Duration.ofSeconds(10));
        buf.put(4096 + 17, (byte) (buf.get(4096 + 17) ^ 0x5A)); // reuse before completion
        gate.release();
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(3 * 4096);
        assertThat(d.violations().count(ViolationKind.GUARD_TAG)).isEqualTo(1);
        var v = d.violations().ofKind(ViolationKind.GUARD_TAG).get(0);
        assertThat(v.lba()).isEqualTo(1);
        assertThat(v.offset()).isEqualTo(4096);
        assertThat(v.firstDiffOffset()).isEqualTo(4096 + 17);
        assertThat(v.expected()).isNotEqualTo(v.actual());
        assertThat(v.thread()).isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void bufferUntouchedUntilCompletionIsClean() throws Exception {
        VerifyingDevice d = device(ContractSpec.of(4096));
        ByteBuffer buf = aligned(4096, 4096);
        buf.put(pattern(4096, 10)).flip();
        Gate gate = d.hooks().pause(OpMatcher.writes().atStage(Stage.DMA));
        CompletableFuture<Integer> f = d.writeAsync(buf, 0, IoMode.DIRECT);
        gate.awaitPaused(Duration.ofSeconds(10));
        gate.release();
        f.get(10, TimeUnit.SECONDS);
        buf.put(0, (byte) 1); // reuse after completion: fine
        assertThat(d.finish().total()).isZero();
    }

    @Test
    void failFastThrowsFromTheCallThatFoundIt() throws Exception {
        VerifyingDevice d = device(ContractSpec.of(4096).withFailFast());
        ByteBuffer buf = aligned(4096, 4096);
        Gate gate = d.hooks().pause(OpMatcher.writes().atStage(Stage.DMA));
        CompletableFuture<Integer> f = d.writeAsync(buf, 0, IoMode.DIRECT);
        gate.awaitPaused(Duration.ofSeconds(10));
        buf.put(5, (byte) 1);
        gate.release();
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IoConsistencyException.class)
                .hasMessageContaining("guard-tag").hasMessageContaining("seed 0x5eed");
        assertThat(d.violations().count(ViolationKind.GUARD_TAG)).isEqualTo(1);
    }

    @Test
    void concurrentWritersAndReadersOnSeparateBlocksAreClean() throws Exception {
        VerifyingDevice d = device(ContractSpec.of(512).withShortTransfers(0.2));
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        long at = (id * 256L + (i % 64) * 4) * 512;
                        byte[] data = pattern(2048, id * 1000 + i);
                        writeFully(d, ByteBuffer.wrap(data), at, IoMode.BUFFERED);
                        ByteBuffer back = ByteBuffer.allocate(2048);
                        readFully(d, back, at, IoMode.BUFFERED);
                        assertThat(back.array()).isEqualTo(data);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "contract-" + t));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(errors).isEmpty();
        d.flush();
        assertThat(d.finish().all()).isEmpty();
    }

    // ------------------------------------------------------------------ views

    @Test
    void fileChannelViewReadsWritesAndReportsSize() throws IOException {
        VerifyingDevice d = device(ContractSpec.of(512));
        try (FileChannel ch = DeviceChannels.open(d, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertThat(ch.size()).isEqualTo(d.capacity());
            ByteBuffer a = ByteBuffer.wrap(pattern(700, 11));
            while (a.hasRemaining()) {
                ch.write(a);
            }
            assertThat(ch.position()).isEqualTo(700);
            ByteBuffer back = ByteBuffer.allocate(700);
            while (back.hasRemaining()) {
                ch.read(back, back.position());
            }
            assertThat(back.array()).isEqualTo(pattern(700, 11));
            ch.force(true);
            assertThatThrownBy(() -> ch.truncate(10)).isInstanceOf(IOException.class).hasMessageContaining("10");
            assertThatThrownBy(() -> ch.map(FileChannel.MapMode.READ_ONLY, 0, 10))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("page-cache mapping", "KernelIoPath.map(device, offset, length)");
        }
        assertThat(d.finish().total()).isZero();
    }

    @Test
    void directOpenOptionSelectsDirectMode() throws IOException {
        VerifyingDevice d = device(ContractSpec.of(4096));
        try (FileChannel ch = DeviceChannels.open(d, StandardOpenOption.READ, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT)) {
            assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(100), 0)).isInstanceOf(IOException.class);
            ByteBuffer b = aligned(4096, 4096);
            b.put(pattern(4096, 12)).flip();
            assertThat(ch.write(b, 4096)).isEqualTo(4096);
        }
        assertThat(d.finish().total()).isZero();
    }

    @Test
    void asynchronousChannelViewRoundTrip() throws Exception {
        VerifyingDevice d = device(ContractSpec.of(512));
        try (AsynchronousFileChannel ch = DeviceChannels.openAsynchronous(d, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            assertThat(ch.size()).isEqualTo(d.capacity());
            assertThat(ch.write(ByteBuffer.wrap(pattern(1000, 13)), 77).get(10, TimeUnit.SECONDS)).isEqualTo(1000);
            ByteBuffer back = ByteBuffer.allocate(1000);
            assertThat(ch.read(back, 77).get(10, TimeUnit.SECONDS)).isEqualTo(1000);
            assertThat(back.array()).isEqualTo(pattern(1000, 13));
            ch.force(false);
        }
        assertThat(d.finish().total()).isZero();
    }
}
