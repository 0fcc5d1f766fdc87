package io.staleguard.device.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.nio.file.ExtendedOpenOption;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.ViolationLog;
import io.staleguard.device.fs.internal.FsPath;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One page cache per file on a device's simulated kernel path: pages leave with a file's blocks, read-ahead stops at
 * the file's end, writeback is the file's own (fsync, the dirty expiry, the background threshold), and H3 is caught
 * at file level. Each finding has a clean twin.
 */
class FilePageCacheTest {

    private static final int BS = 4096;
    private static final long SEED = 0xF11E;
    /** Long enough that a writeback in flight is seen by the thread that races it, on a loaded machine too. */
    private static final long DMA_NANOS = 50_000_000;

    private SimulatedDevice device;
    private SimulatedFileSystem fs;

    @AfterEach
    void close() throws IOException {
        if (fs != null) {
            fs.close();
        }
        if (device != null) {
            device.close();
        }
    }

    private KernelIoPath open(KernelIoPath path) {
        device = SimulatedDevice.builder().capacity(8 << 20).blockSize(BS).seed(SEED).ioPath(path).build();
        fs = SimulatedFileSystem.on(device);
        return path;
    }

    private static KernelIoPath slowWriteback(KernelPreset preset) {
        return new KernelIoPath(preset.config(), KernelIoPath.DEFAULT_MAX_PAGES, DMA_NANOS, 1_000_000);
    }

    private long deviceOffset(Path p, long fileOffset) throws IOException {
        FsPath f = (FsPath) p;
        return f.volume().lookup(f).extents().deviceBlock(fileOffset / BS) * BS + fileOffset % BS;
    }

    private static ByteBuffer filled(int value, int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return ByteBuffer.wrap(b);
    }

    private static ByteBuffer aligned(int value, int length) {
        ByteBuffer b = ByteBuffer.allocateDirect((length + BS - 1) / BS * BS + BS).alignedSlice(BS).limit(length);
        while (b.hasRemaining()) {
            b.put((byte) value);
        }
        return b.flip();
    }

    private byte[] media(long offset, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        device.readRaw(offset, b);
        return b.array();
    }

    private static FileChannel rw(Path p, StandardOpenOption... more) throws IOException {
        StandardOpenOption[] all = Arrays.copyOf(more, more.length + 3);
        all[more.length] = StandardOpenOption.CREATE;
        all[more.length + 1] = StandardOpenOption.READ;
        all[more.length + 2] = StandardOpenOption.WRITE;
        return FileChannel.open(p, all);
    }

    @Test
    void onlyAPageCacheKernelPathGivesFilesACache() throws IOException {
        try (SimulatedDevice plain = SimulatedDevice.builder().capacity(1 << 20).build();
             SimulatedDevice dax = SimulatedDevice.builder().capacity(1 << 20)
                     .ioPath(KernelIoPath.dax(KernelPreset.MODERN.config())).build();
             SimulatedDevice cached = SimulatedDevice.builder().capacity(1 << 20)
                     .ioPath(KernelIoPath.of(KernelPreset.MODERN)).build()) {
            assertThat(KernelIoPath.fileCache(plain, () -> 0)).isEmpty();
            assertThat(KernelIoPath.fileCache(dax, () -> 0)).isEmpty();
            assertThat(KernelIoPath.fileCache(cached, () -> 0)).isPresent();
            assertThatThrownBy(
                    () -> KernelIoPath.fileCache(cached, () -> 0).orElseThrow().mapBlocks(0, 255, 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("device block 255")
                    .hasMessageContaining("256 blocks");
        }
    }

    @Test
    void aNegativeDirtyExpiryIsRefusedNamingIt() {
        assertThatThrownBy(
                () -> KernelIoPath.of(KernelPreset.MODERN).dirtyExpire(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("dirty expiry must be >= 0, was PT-1S");
        assertThat(KernelIoPath.of(KernelPreset.MODERN).dirtyExpire(Duration.ZERO).dirtyExpire()).isZero();
    }

    // ------------------------------------------------------------------ H3 at file level

    /**
     * One thread rewrites page 1 of a file while another fsyncs it: without stable pages the rewrite lands in the
     * page between the checksum that writeback computed and the DMA.
     */
    private ViolationLog rewriteWhileFsync(KernelPreset preset) throws Exception {
        open(slowWriteback(preset));
        Path wal = Files.createDirectories(fs.getPath("/db")).resolve("wal");
        try (FileChannel ch = rw(wal)) {
            ch.write(filled(1, 2 * BS), 0);
            AtomicBoolean syncing = new AtomicBoolean(true);
            Thread rewriter = new Thread(() -> {
                try (FileChannel w = FileChannel.open(wal, StandardOpenOption.WRITE)) {
                    for (int i = 2; syncing.get(); i++) {
                        w.write(filled(i, 512), BS + 512L * (i % 8));
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, "rewriter");
            rewriter.start();
            for (int i = 0; i < 3; i++) {
                ch.force(false);
            }
            syncing.set(false);
            rewriter.join();
            ch.force(false);
        }
        return device.finish();
    }

    @Test
    void aPageRewrittenWhileItsFileIsFsyncedIsAGuardTagWithoutStablePages() throws Exception {
        ViolationLog log = rewriteWhileFsync(KernelPreset.STABLE_PAGES_NONE_2011);
        Path wal = fs.getPath("/db/wal");
        assertThat(log.all()).as("seed %x", SEED).isNotEmpty().allSatisfy(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.GUARD_TAG);
            assertThat(v.thread()).as("the fsync's writeback")
                    .isEqualTo("writeback by " + Thread.currentThread().getName());
            assertThat(v.detail()).contains("stable pages: NONE");
            assertThat(v.location()).isNotNull();
            assertThat(v.location().path()).isEqualTo("/db/wal");
            assertThat(v.location().offset()).isEqualTo(BS);
        });
        assertThat(log.all().get(0).offset()).isEqualTo(deviceOffset(wal, BS));
    }

    @Test
    void theSameRewriteUnderStablePagesIsClean() throws Exception {
        assertThat(rewriteWhileFsync(KernelPreset.MODERN).all()).as("seed %x", SEED).isEmpty();
    }

    // ------------------------------------------------------------------ truncate and delete

    /**
     * A file's page is under writeback when the file loses its blocks (deleted, or truncated to nothing), and a new
     * file gets those blocks and writes them at once. Linux waits for the writeback and drops the old file's pages
     * before the blocks are free ({@code truncate_inode_pages}), so the new file shares nothing with the old one.
     */
    private ViolationLog reuseBlocksOfAFileUnderWriteback(KernelPreset preset, boolean delete) throws Exception {
        open(slowWriteback(preset).dirtyExpire(Duration.ZERO));
        Path old = fs.getPath("/old");
        try (FileChannel ch = rw(old)) {
            ch.write(filled(7, 2 * BS), 0);
            long at = deviceOffset(old, 0);
            Thread.sleep(10); // the flusher takes the expired file and holds its pages in writeback
            if (delete) {
                ch.close();
                Files.delete(old);
            } else {
                ch.truncate(0);
            }
            Path next = fs.getPath("/next");
            try (FileChannel n = rw(next)) {
                n.write(filled(9, 2 * BS), 0);
                assertThat(deviceOffset(next, 0)).as("the new file is on the old one's blocks").isEqualTo(at);
                ByteBuffer back = ByteBuffer.allocate(2 * BS);
                n.read(back, 0);
                assertThat(back.array()).containsOnly((byte) 9);
                n.force(true);
                assertThat(media(at, 2 * BS)).containsOnly((byte) 9);
            }
        }
        return device.finish();
    }

    @ParameterizedTest
    @EnumSource(KernelPreset.class)
    void blocksOfADeletedFileUnderWritebackAreCleanForTheirNextFile(KernelPreset preset) throws Exception {
        assertThat(reuseBlocksOfAFileUnderWriteback(preset, true).all()).as("%s, seed %x", preset, SEED).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(KernelPreset.class)
    void blocksOfATruncatedFileUnderWritebackAreCleanForTheirNextFile(KernelPreset preset) throws Exception {
        assertThat(reuseBlocksOfAFileUnderWriteback(preset, false).all()).as("%s, seed %x", preset, SEED).isEmpty();
    }

    @Test
    void dirtyPagesPastATruncateAreDiscardedNeverWrittenBack() throws Exception {
        open(KernelIoPath.of(KernelPreset.MODERN));
        Path f = fs.getPath("/f");
        try (FileChannel ch = rw(f)) {
            ch.write(filled(3, 2 * BS), 0);
            ch.force(false);
            long second = deviceOffset(f, BS);
            ch.write(filled(4, 2 * BS), 0);
            ch.truncate(BS);
            ch.force(false);
            assertThat(media(second - BS, BS)).as("the kept block, written back").containsOnly((byte) 4);
            assertThat(media(second, BS)).as("the cut block: its dirty page was dropped").containsOnly((byte) 3);
        }
        assertThat(device.finish().all()).isEmpty();
    }

    @Test
    void truncateAndDeleteDropTheFilesPages() throws Exception {
        KernelIoPath path = open(KernelIoPath.of(KernelPreset.MODERN));
        Path f = fs.getPath("/f");
        try (FileChannel ch = rw(f)) {
            ch.write(filled(3, 4 * BS), 0);
            assertThat(path.cachedPages()).isEqualTo(4);
            ch.truncate(BS + 100);
            assertThat(path.cachedPages()).as("the pages past the new size left with their blocks").isEqualTo(2);
        }
        Files.delete(f);
        assertThat(path.cachedPages()).as("a deleted file keeps no page").isZero();
        assertThat(device.finish().all()).isEmpty();
    }

    @Test
    void aRenamedFileKeepsItsCache() throws Exception {
        KernelIoPath path = open(KernelIoPath.of(KernelPreset.MODERN));
        Path f = fs.getPath("/f");
        try (FileChannel ch = rw(f)) {
            ch.write(filled(4, 2 * BS), 0);
        }
        long at = deviceOffset(f, 0);
        Path g = Files.move(f, fs.getPath("/g"));
        assertThat(path.cachedPages()).isEqualTo(2);
        assertThat(media(at, 2 * BS)).as("still dirty in the cache that moved with the inode").containsOnly((byte) 0);
        try (FileChannel ch = FileChannel.open(g, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        assertThat(media(at, 2 * BS)).containsOnly((byte) 4);
        assertThat(Files.readAllBytes(g)).containsOnly((byte) 4);
        assertThat(device.finish().all()).isEmpty();
    }

    @Test
    void aReaderKeepsReadingAnUnlinkedFileFromItsCache() throws Exception {
        open(KernelIoPath.of(KernelPreset.MODERN));
        Path f = fs.getPath("/gone");
        try (FileChannel ch = rw(f)) {
            ch.write(filled(5, 3 * BS), 0);
            Files.delete(f);
            ByteBuffer back = ByteBuffer.allocate(3 * BS);
            assertThat(ch.read(back, 0)).isEqualTo(3 * BS);
            assertThat(back.array()).containsOnly((byte) 5);
        }
        assertThat(device.finish().all()).isEmpty();
    }

    // ------------------------------------------------------------------ read-ahead

    /**
     * A short file is read through a buffered channel, whose read-ahead would reach the next file's blocks if it ran
     * past the end of the file; the next file is then rewritten with O_DIRECT (under presets that invalidate nothing)
     * and read buffered.
     */
    @ParameterizedTest
    @EnumSource(KernelPreset.class)
    void readAheadStopsAtTheEndOfTheFile(KernelPreset preset) throws Exception {
        KernelIoPath path = open(KernelIoPath.of(preset));
        Path small = fs.getPath("/small");
        Path next = fs.getPath("/next");
        // Both with O_DIRECT, so that no page of either is cached before the read.
        try (FileChannel d = FileChannel.open(small, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT)) {
            d.write(aligned(3, BS), 0);
        }
        try (FileChannel d = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT)) {
            d.write(aligned(1, 4 * BS), 0);
        }
        assertThat(deviceOffset(next, 0)).as("the next file starts right after the small one").isEqualTo(BS);
        try (FileChannel r = FileChannel.open(small, StandardOpenOption.READ)) {
            assertThat(r.read(ByteBuffer.allocate(100), 0)).isEqualTo(100);
        }
        assertThat(path.cachedPages()).as("the small file's one page, nothing of the next file").isEqualTo(1);
        try (FileChannel d = FileChannel.open(next, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
            d.write(aligned(2, 4 * BS), 0);
        }
        ByteBuffer back = ByteBuffer.allocate(4 * BS);
        try (FileChannel r = FileChannel.open(next, StandardOpenOption.READ)) {
            r.read(back, 0);
        }
        assertThat(back.array()).containsOnly((byte) 2);
        assertThat(device.finish().all()).as("%s, seed %x", preset, SEED).isEmpty();
    }

    /**
     * With 512-byte blocks a 4 KiB device page holds blocks of two files; a file's page holds only its own. A file of
     * one block is read buffered, the next file's blocks (right after it) are rewritten with O_DIRECT under a preset
     * that invalidates nothing, and read buffered.
     */
    @Test
    void aPageHoldsBlocksOfOneFileOnlyWhenBlocksAreSmallerThanAPage() throws Exception {
        int bs = 512;
        KernelIoPath path = KernelIoPath.of(KernelPreset.DIO_NO_INVALIDATE);
        device = SimulatedDevice.builder().capacity(8 << 20).blockSize(bs).seed(SEED).ioPath(path).build();
        fs = SimulatedFileSystem.on(device);
        Path small = fs.getPath("/small");
        Path next = fs.getPath("/next");
        try (FileChannel d = FileChannel.open(small, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT)) {
            d.write(aligned(3, bs), 0);
        }
        try (FileChannel d = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT)) {
            d.write(aligned(1, BS), 0);
        }
        FsPath n = (FsPath) next;
        assertThat(n.volume().lookup(n).extents().deviceBlock(0)).as("the next file's first block is block 1")
                .isEqualTo(1);
        try (FileChannel r = FileChannel.open(small, StandardOpenOption.READ)) {
            ByteBuffer back = ByteBuffer.allocate(bs);
            assertThat(r.read(back, 0)).isEqualTo(bs);
            assertThat(back.array()).containsOnly((byte) 3);
        }
        try (FileChannel d = FileChannel.open(next, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
            d.write(aligned(2, BS), 0);
        }
        ByteBuffer back = ByteBuffer.allocate(BS);
        try (FileChannel r = FileChannel.open(next, StandardOpenOption.READ)) {
            r.read(back, 0);
        }
        assertThat(back.array()).containsOnly((byte) 2);
        assertThat(device.finish().all()).as("seed %x", SEED).isEmpty();
    }

    /** The 64 MiB heap budget of a 1 GiB filesystem with 10 MiB written holds with the files' page caches too. */
    @Test
    void aGibibyteFilesystemWithTenMebibytesInItsPageCachesStaysSmall() throws Exception {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapBefore = rt.totalMemory() - rt.freeMemory();
        KernelIoPath path = KernelIoPath.of(KernelPreset.MODERN);
        device = SimulatedDevice.builder().capacity(1L << 30).blockSize(BS).seed(0x61B).ioPath(path).build();
        fs = SimulatedFileSystem.on(device);
        byte[] chunk = new byte[1 << 20];
        new java.util.Random(4).nextBytes(chunk);
        Files.createDirectories(fs.getPath("/data"));
        for (int i = 0; i < 10; i++) {
            try (FileChannel ch = rw(fs.getPath("/data/segment-" + i))) {
                ch.write(ByteBuffer.wrap(chunk), 0);
                ch.force(true);
            }
        }
        assertThat(path.cachedPages()).isEqualTo((10 << 20) / BS);
        assertThat(device.allocatedMediaBytes()).isGreaterThanOrEqualTo(10L << 20).isLessThanOrEqualTo(11L << 20);
        System.gc();
        long heapAfter = rt.totalMemory() - rt.freeMemory();
        assertThat(heapAfter - heapBefore).as("heap grown by the filesystem, its caches and its device")
                .isLessThan(64L << 20);
        assertThat(device.finish().all()).isEmpty();
    }

    @Test
    void aWritePastTheDevicesCapacityIsFileTooLarge() throws Exception {
        open(KernelIoPath.of(KernelPreset.MODERN));
        try (FileChannel ch = rw(fs.getPath("/sparse"))) {
            ch.write(filled(1, 10), (8 << 20) - 10);
            assertThatThrownBy(() -> ch.write(filled(1, 10), 8 << 20))
                    .isExactlyInstanceOf(IOException.class).hasMessage("File too large");
            assertThat(ch.size()).isEqualTo(8 << 20);
        }
        assertThat(device.finish().all()).isEmpty();
    }

    // ------------------------------------------------------------------ writeback per file

    @Test
    void fsyncOfAFileWritesBackThatFileOnly() throws Exception {
        open(KernelIoPath.of(KernelPreset.MODERN));
        Path a = fs.getPath("/a");
        Path b = fs.getPath("/b");
        try (FileChannel ca = rw(a); FileChannel cb = rw(b)) {
            ca.write(filled(1, 2 * BS), 0);
            cb.write(filled(2, 2 * BS), 0);
            ca.force(false);
            assertThat(media(deviceOffset(a, 0), 2 * BS)).containsOnly((byte) 1);
            assertThat(media(deviceOffset(b, 0), 2 * BS)).as("b is not fsynced: still only in its cache")
                    .containsOnly((byte) 0);
            cb.force(false);
            assertThat(media(deviceOffset(b, 0), 2 * BS)).containsOnly((byte) 2);
        }
        assertThat(device.finish().all()).isEmpty();
    }

    private boolean writtenBackWithin(KernelIoPath path, int pages, Duration wait) throws Exception {
        open(path);
        Path f = fs.getPath("/f");
        try (FileChannel ch = rw(f)) {
            ch.write(filled(6, pages * BS), 0);
            long at = deviceOffset(f, 0);
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                if (media(at, BS)[0] == 6) {
                    return true;
                }
                Thread.sleep(5);
            }
            return false;
        }
    }

    @Test
    void theFlusherTakesAFileOnceItsPagesExpired() throws Exception {
        assertThat(writtenBackWithin(KernelIoPath.of(KernelPreset.MODERN).dirtyExpire(Duration.ofMillis(20)), 2,
                Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void theFlusherLeavesAFileDirtyForLessThanTheExpiry() throws Exception {
        KernelIoPath path = KernelIoPath.of(KernelPreset.MODERN);
        assertThat(path.dirtyExpire()).isEqualTo(Duration.ofSeconds(30));
        assertThat(writtenBackWithin(path, 2, Duration.ofMillis(200))).isFalse();
    }

    @Test
    void backgroundWritebackStartsAboveTheDirtyThreshold() throws Exception {
        // 640 pages of budget: the background threshold is 64 dirty pages.
        KernelIoPath path = new KernelIoPath(KernelPreset.MODERN.config(), 640, 0, 1_000_000);
        assertThat(writtenBackWithin(path, 80, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void noBackgroundWritebackBelowTheDirtyThreshold() throws Exception {
        KernelIoPath path = new KernelIoPath(KernelPreset.MODERN.config(), 640, 0, 1_000_000);
        assertThat(writtenBackWithin(path, 32, Duration.ofMillis(200))).isFalse();
    }

    // ------------------------------------------------------------------ short writes on a file's cache

    /**
     * Appends 3 blocks and a half in one write, which the device cuts short; the buggy writer closes the file
     * without writing the rest (GEODE-2398), the correct one loops until the buffer is drained. The tail the correct
     * writer wrote again is in the file's page cache, not on the media, when the channel closes.
     */
    private List<Violation> appendWithShortWrites(boolean correct) throws Exception {
        device = SimulatedDevice.builder().capacity(8 << 20).blockSize(BS).seed(SEED).shortTransferProbability(1.0)
                .ioPath(KernelIoPath.of(KernelPreset.MODERN)).build();
        fs = SimulatedFileSystem.on(device);
        Path log = fs.getPath("/log");
        byte[] data = new byte[3 * BS + BS / 2];
        new java.util.Random(SEED).nextBytes(data);
        try (FileChannel ch = rw(log)) {
            ByteBuffer b = ByteBuffer.wrap(data);
            assertThat(ch.write(b, 0)).as("seed %x", SEED).isLessThan(data.length);
            while (correct && b.hasRemaining()) {
                ch.write(b, b.position());
            }
        }
        return device.finish().all();
    }

    @Test
    void aShortAppendWhoseRestIsNeverWrittenIsAShortTransferOnTheFile() throws Exception {
        List<Violation> found = appendWithShortWrites(false);
        assertThat(found).as("seed %x", SEED).isNotEmpty().allSatisfy(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.SHORT_TRANSFER);
            assertThat(v.location().path()).isEqualTo("/log");
        });
    }

    @Test
    void aShortAppendWhoseRestIsWrittenBeforeCloseIsClean() throws Exception {
        assertThat(appendWithShortWrites(true)).as("seed %x", SEED).isEmpty();
    }

    // ------------------------------------------------------------------ direct I/O on a file

    @Test
    void aDirectReadSeesWhatBufferedWritesLeftInTheFilesCache() throws Exception {
        open(KernelIoPath.of(KernelPreset.MODERN));
        Path f = fs.getPath("/f");
        try (FileChannel ch = rw(f)) {
            ch.write(filled(8, 2 * BS), 0);
        }
        ByteBuffer back = ByteBuffer.allocateDirect(3 * BS).alignedSlice(BS).limit(2 * BS);
        try (FileChannel d = FileChannel.open(f, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
            assertThat(d.read(back, 0)).isEqualTo(2 * BS);
        }
        back.flip();
        while (back.hasRemaining()) {
            assertThat(back.get()).isEqualTo((byte) 8);
        }
        assertThat(device.finish().all()).isEmpty();
    }

    /** A direct write to a file invalidates the file's pages per the preset: without it, a stale read of that file. */
    private List<Violation> bufferedReadAfterDirectWrite(KernelPreset preset) throws Exception {
        open(KernelIoPath.of(preset));
        Path f = fs.getPath("/ring");
        try (FileChannel d = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
             FileChannel r = FileChannel.open(f, StandardOpenOption.READ)) {
            d.write(aligned(1, 2 * BS), 0);
            r.read(ByteBuffer.allocate(2 * BS), 0);
            d.write(aligned(2, 2 * BS), 0);
            r.read(ByteBuffer.allocate(2 * BS), 0);
        }
        return device.finish().all();
    }

    @Test
    void aDirectWriteThatInvalidatesNothingLeavesTheFilesStalePages() throws Exception {
        List<Violation> found = bufferedReadAfterDirectWrite(KernelPreset.DIO_NO_INVALIDATE);
        assertThat(found).as("seed %x", SEED).isNotEmpty().allSatisfy(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
            assertThat(v.location().path()).isEqualTo("/ring");
        });
        assertThat(found.get(0).location().offset()).isZero();
    }

    @Test
    void aDirectWriteThatInvalidatesTheFilesPagesIsClean() throws Exception {
        assertThat(bufferedReadAfterDirectWrite(KernelPreset.MODERN)).as("seed %x", SEED).isEmpty();
    }
}
