package io.staleguard.device.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.IoMode;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.hooks.Gate;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.hooks.Stage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FileDevice on the host filesystem: what goes beyond the shared contract. */
class FileDeviceTest {

    @TempDir
    Path dir;

    private static ByteBuffer aligned(int size) {
        return ByteBuffer.allocateDirect(size + 4096).alignedSlice(4096).limit(size);
    }

    private static byte[] pattern(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private FileDevice device(String name) throws IOException {
        return FileDevice.builder().path(dir.resolve(name)).capacity(1 << 20).blockSize(4096).seed(7).build();
    }

    @Test
    void aBufferReusedBeforeAnAsyncWriteLandsIsAGuardTagAndTheChangedDataIsWhatReachedTheFile() throws Exception {
        Path file = dir.resolve("reuse.img");
        try (FileDevice dev = FileDevice.builder().path(file).capacity(1 << 20).workers(2).seed(7).build()) {
            ByteBuffer buf = aligned(2 * 4096);
            byte[] submitted = pattern(2 * 4096, 1);
            buf.put(submitted).flip();
            Gate gate = dev.hooks().pause(OpMatcher.writes().async().atStage(Stage.DMA));
            CompletableFuture<Integer> f = dev.writeAsync(buf, 8192, IoMode.DIRECT);
            gate.awaitPaused(Duration.ofSeconds(10));
            buf.put(4096 + 100, (byte) ~submitted[4096 + 100]); // the RATIS-2114 bug: reuse before completion
            gate.release();
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(8192);

            assertThat(dev.violations().ofKind(ViolationKind.GUARD_TAG)).singleElement().satisfies(v -> {
                assertThat(v.offset()).isEqualTo(8192 + 4096);
                assertThat(v.lba()).isEqualTo(3);
                assertThat(v.firstDiffOffset()).isEqualTo(8192 + 4096 + 100);
            });
            assertThat(dev.violations().total()).isEqualTo(1);
            dev.fsync();
            // The kernel got the buffer as it was when the worker took it: the modified byte.
            byte[] onDisk = Files.readAllBytes(file);
            assertThat(onDisk[8192 + 4096 + 100]).isEqualTo((byte) ~submitted[4096 + 100]);
        }
    }

    @Test
    void theCorrectTwinWaitsForCompletionBeforeReusingAndIsClean() throws Exception {
        try (FileDevice dev = device("twin.img")) {
            ByteBuffer buf = aligned(2 * 4096);
            for (int i = 0; i < 50; i++) {
                buf.clear();
                buf.put(pattern(2 * 4096, i)).flip();
                assertThat(dev.writeAsync(buf, (i % 8) * 8192L, IoMode.DIRECT).get(10, TimeUnit.SECONDS))
                        .isEqualTo(8192);
            }
            ByteBuffer back = aligned(2 * 4096);
            dev.read(back, 7 * 8192L, IoMode.BUFFERED);
            assertThat(back.flip()).isEqualTo(ByteBuffer.wrap(pattern(2 * 4096, 47)));
            assertThat(dev.violations().total()).isZero();
        }
    }

    @Test
    void scrubFindsBlocksChangedBehindTheDevicesBackAndOnlyThose() throws IOException {
        Path file = dir.resolve("scrub.img");
        try (FileDevice dev = FileDevice.builder().path(file).capacity(1 << 20).verifyAfterWrite(false).seed(7)
                .build()) {
            ByteBuffer buf = aligned(16 * 4096);
            buf.put(pattern(16 * 4096, 3)).flip();
            dev.write(buf, 0, IoMode.DIRECT);
            assertThat(dev.scrub()).as("clean twin: every written block verifies").isEqualTo(16);
            assertThat(dev.violations().total()).isZero();

            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 5 * 4096 + 9); // a faulty layer below
                ch.force(true);
            }
            dev.advise(0, 0, Advice.DONTNEED);
            assertThat(dev.scrub()).isEqualTo(16);
            assertThat(dev.violations().ofKind(ViolationKind.GUARD_TAG)).singleElement().satisfies(v -> {
                assertThat(v.offset()).isEqualTo(5 * 4096);
                assertThat(v.lba()).isEqualTo(5);
                assertThat(v.detail()).contains("scrub pass");
            });
        }
    }

    @Test
    void protectionInformationSurvivesTheDeviceInASidecarAndAStaleSidecarIsNotTrusted() throws IOException {
        Path file = dir.resolve("long-run.img");
        Path sidecar = dir.resolve("long-run.pi");
        try (FileDevice dev = FileDevice.builder().path(file).capacity(1 << 20).piSidecar(sidecar).seed(7).build()) {
            ByteBuffer buf = aligned(4 * 4096);
            buf.put(pattern(4 * 4096, 5)).flip();
            dev.write(buf, 4096, IoMode.DIRECT);
            dev.flush();
            assertThat(sidecar).exists();
        }
        assertThat(file).as("a given path is kept").exists();
        try (FileDevice again = FileDevice.builder().path(file).piSidecar(sidecar).seed(7).build()) {
            assertThat(again.capacity()).isEqualTo(1 << 20);
            assertThat(again.loadedTuples()).isEqualTo(4);
            assertThat(again.scrub()).isEqualTo(4);
            assertThat(again.violations().total()).isZero();
            ByteBuffer r = aligned(4096);
            again.read(r, 2 * 4096, IoMode.BUFFERED);
            assertThat(again.violations().total()).as("pre-existing content is adopted, not flagged").isZero();
        }
        // Data written after the sidecar's last save: the sidecar is older and must not be loaded.
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {42}), 4096);
        }
        Files.setLastModifiedTime(sidecar, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(file).toMillis() - 60_000));
        try (FileDevice stale = FileDevice.builder().path(file).piSidecar(sidecar).seed(7).build()) {
            assertThat(stale.loadedTuples()).isZero();
            assertThat(stale.scrub()).isZero();
        }
    }

    @Test
    void coherentMmapStoresAreKnownWritesForTheOracleAndThePiStore() throws IOException {
        try (FileDevice dev = device("mmap.img")) {
            MappedRegion region = dev.map(8 * 4096, 4 * 4096);
            byte[] data = pattern(300, 11);
            region.put(4096 + 50, data);
            ByteBuffer r = aligned(4096);
            dev.read(r, 9 * 4096, IoMode.BUFFERED);
            assertThat(Arrays.copyOfRange(bytes(r.flip()), 50, 350)).isEqualTo(data);
            byte[] loaded = new byte[4096];
            region.get(4096, loaded);
            region.force();
            assertThat(dev.scrub()).isEqualTo(1);
            assertThat(dev.violations().total()).isZero();
            region.close();
            assertThatThrownBy(() -> region.get(0, loaded)).isInstanceOf(ClosedChannelException.class);
        }
    }

    @Test
    void aStaleMmapLoadIsCaught() throws IOException {
        try (FileDevice dev = device("mmap-stale.img")) {
            MappedRegion region = dev.map(0, 4096);
            byte[] before = new byte[4096];
            region.get(0, before);
            ByteBuffer w = aligned(4096);
            w.put(pattern(4096, 2)).flip();
            dev.write(w, 0, IoMode.BUFFERED);
            // A program that keeps serving the bytes it loaded before the write serves stale data.
            assertThat(dev.checkServed(0, ByteBuffer.wrap(before))).singleElement()
                    .extracting(Violation::kind).isEqualTo(ViolationKind.STALE_READ);
        }
    }

    @Test
    void fadviseFsyncAndFdatasyncReachTheKernel() throws IOException {
        try (FileDevice dev = device("advice.img")) {
            ByteBuffer w = aligned(64 * 4096);
            w.put(pattern(64 * 4096, 4)).flip();
            dev.write(w, 0, IoMode.BUFFERED);
            dev.fdatasync();
            dev.fsync();
            for (Advice a : Advice.values()) {
                dev.advise(0, 64 * 4096, a);
            }
            assertThat(dev.operationLog().snapshot()).anySatisfy(e -> assertThat(e.note()).contains("WILLNEED"));
            assertThatThrownBy(() -> dev.advise(-1, 0, Advice.WILLNEED)).hasMessageContaining("-1");
        }
    }

    @Test
    void badInputIsRefusedNamingTheValueAndNothingIsLost() throws IOException {
        Path file = dir.resolve("given.img");
        Files.write(file, pattern(10_000, 1));
        assertThatThrownBy(() -> FileDevice.builder().path(dir).build()).hasMessageContaining(dir.toString())
                .hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> FileDevice.builder().blockSize(1000)).hasMessageContaining("1000");
        assertThatThrownBy(() -> FileDevice.builder().path(file).capacity(5000).build())
                .hasMessageContaining("capacity 5000");
        try (FileDevice dev = FileDevice.builder().path(file).seed(1).build()) {
            assertThat(dev.capacity()).as("existing size rounded down to whole blocks").isEqualTo(8192);
            assertThatThrownBy(() -> dev.map(100, 4096)).hasMessageContaining("[100,+4096)");
            assertThatThrownBy(() -> dev.read(ByteBuffer.allocateDirect(4096).position(1), 0, IoMode.DIRECT))
                    .isInstanceOf(IOException.class);
        }
        assertThat(Files.readAllBytes(file)).as("the given file's content is intact").isEqualTo(pattern(10_000, 1));
        FileDevice closed = device("closed.img");
        closed.close();
        assertThatThrownBy(() -> closed.fsync()).isInstanceOf(ClosedChannelException.class)
                .hasMessageContaining("closed.img");
    }

    @Test
    void theDefaultTemporaryFileIsDeletedOnClose() throws IOException {
        Path p;
        try (FileDevice dev = FileDevice.builder().capacity(64 << 10).seed(1).build()) {
            p = dev.path();
            assertThat(p).exists();
            assertThat(dev.describe()).contains("FileDevice(" + p + ")");
        }
        assertThat(p).doesNotExist();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }
}
