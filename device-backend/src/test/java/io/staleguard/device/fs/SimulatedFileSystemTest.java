package io.staleguard.device.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.nio.file.ExtendedOpenOption;
import io.staleguard.device.fs.internal.FsPath;
import io.staleguard.device.fs.internal.Inode;
import io.staleguard.device.fs.internal.MetadataJournal;
import io.staleguard.device.fs.internal.Volume;
import io.staleguard.device.hooks.OpKind;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.hooks.OperationInfo;
import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What only the simulated filesystem has: its device underneath, O_DIRECT, its refusals, its journal and space. */
class SimulatedFileSystemTest {

    private static final int BS = 4096;

    private SimulatedDevice device;
    private SimulatedFileSystem fs;

    private SimulatedFileSystem fs(long capacity) {
        return fs(SimulatedDevice.builder().capacity(capacity).blockSize(BS).seed(0xF5).build());
    }

    private SimulatedFileSystem fs(SimulatedDevice d) {
        device = d;
        fs = SimulatedFileSystem.on(d);
        return fs;
    }

    @AfterEach
    void close() throws IOException {
        if (fs != null) {
            fs.close();
        }
        if (device != null) {
            device.close();
        }
    }

    private static ByteBuffer direct(int size) {
        return ByteBuffer.allocateDirect((size + BS - 1) / BS * BS + BS).alignedSlice(BS).limit(size);
    }

    private static Inode inode(Path p) throws IOException {
        FsPath f = (FsPath) p;
        return f.volume().lookup(f);
    }

    private static Volume volume(Path p) {
        return ((FsPath) p).volume();
    }

    /** Device operations as the hooks see them, by sequence number. */
    private Map<Long, OperationInfo> recordOperations() {
        Map<Long, OperationInfo> seen = new ConcurrentSkipListMap<>();
        device.hooks().pause(OpMatcher.any().where(op -> {
            seen.putIfAbsent(op.sequence(), op);
            return false;
        }));
        return seen;
    }

    @Test
    void toStringNamesTheDevice() {
        fs(8 << 20);
        assertThat(fs.toString()).startsWith("SimulatedFileSystem fs-").contains(device.describe());
        assertThat(fs.provider().getScheme()).isEqualTo("staleguard");
        assertThat(fs.getPath("/a").toUri().toString()).startsWith("staleguard://fs-").endsWith("/a");
        assertThat(fs.device()).isSameAs(device);
    }

    @Test
    void urisFindTheFilesystemWhileItIsOpen() throws IOException {
        fs(8 << 20);
        URI uri = Files.createFile(fs.getPath("/u")).toUri();
        assertThat(fs.provider().getPath(uri)).isEqualTo(fs.getPath("/u"));
        fs.close();
        assertThatThrownBy(() -> fs.provider().getPath(uri)).isExactlyInstanceOf(FileSystemNotFoundException.class);
    }

    @Test
    void directChannelsKeepTheDevicesAlignmentRules() throws IOException {
        fs(8 << 20);
        Path f = fs.getPath("/direct");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE, ExtendedOpenOption.DIRECT)) {
            assertThatThrownBy(() -> ch.write(direct(BS), 100)).isInstanceOf(IOException.class)
                    .hasMessage("Channel position (100) is not a multiple of the block size (4096)");
            assertThatThrownBy(() -> ch.write(direct(100), 0)).isInstanceOf(IOException.class)
                    .hasMessage("Number of remaining bytes (100) is not a multiple of the block size (4096)");
            ByteBuffer odd = ByteBuffer.allocateDirect(3 * BS).alignedSlice(BS);
            odd.position(1).limit(1 + BS);
            assertThatThrownBy(() -> ch.write(odd, 0)).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("Current position of the bytebuffer (1) is not a multiple of the block size (4096)");
            ByteBuffer data = direct(2 * BS);
            while (data.hasRemaining()) {
                data.put((byte) 7);
            }
            data.flip();
            assertThat(ch.write(data, 0)).isEqualTo(2 * BS);
            ByteBuffer back = direct(2 * BS);
            assertThat(ch.read(back, 0)).isEqualTo(2 * BS);
        }
        Map<Long, OperationInfo> ops = recordOperations();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
            ch.read(direct(BS), BS);
        }
        assertThat(ops.values()).extracting(OperationInfo::mode).containsOnly(io.staleguard.device.IoMode.DIRECT);
    }

    @Test
    void aDirectReadOverTheEndCountsOnlyTheFilesBytes() throws IOException {
        fs(8 << 20);
        Path f = fs.getPath("/tail");
        Files.write(f, new byte[BS + 100]);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
            ByteBuffer b = direct(4 * BS);
            assertThat(ch.read(b, 0)).isEqualTo(BS + 100);
            assertThat(b.position()).isEqualTo(BS + 100);
            assertThat(ch.read(direct(BS), 2 * BS)).isEqualTo(-1);
        }
    }

    @Test
    void mapIsRefusedPointingToTheKernelPathsMapping() throws IOException {
        fs(8 << 20);
        Path f = fs.getPath("/m");
        Files.write(f, new byte[BS]);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            assertThatThrownBy(() -> ch.map(FileChannel.MapMode.READ_ONLY, 0, BS))
                    .isExactlyInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("io.staleguard.device.sim.kernel.KernelIoPath.map");
        }
    }

    @Test
    void watchServicesAreRefusedAndSaySo() {
        fs(8 << 20);
        assertThatThrownBy(fs::newWatchService).isExactlyInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("WatchService is not supported");
        assertThatThrownBy(() -> fs.getPath("/").register(null, StandardWatchEventKinds.ENTRY_CREATE))
                .isExactlyInstanceOf(UnsupportedOperationException.class).hasMessageContaining("WatchService");
    }

    @Test
    void toFileIsRefusedAsForAnyOtherFilesystem() {
        fs(8 << 20);
        assertThatThrownBy(() -> fs.getPath("/x").toFile()).isExactlyInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aClosedFilesystemRefusesEverythingAndClosesItsChannels() throws IOException {
        fs(8 << 20);
        Path f = fs.getPath("/c");
        FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        fs.close();
        assertThat(fs.isOpen()).isFalse();
        assertThat(ch.isOpen()).isFalse();
        assertThatThrownBy(() -> Files.readAllBytes(f)).isExactlyInstanceOf(ClosedFileSystemException.class);
        assertThatThrownBy(() -> Files.createDirectory(fs.getPath("/d"))).isExactlyInstanceOf(ClosedFileSystemException.class);
        assertThatThrownBy(() -> Files.exists(f)).isExactlyInstanceOf(ClosedFileSystemException.class);
        assertThat(device.violations().total()).isZero();
    }

    @Test
    void aFullDeviceIsNoSpaceLeftAndDeletingGivesTheSpaceBack() throws IOException {
        fs(1 << 20);
        Path big = fs.getPath("/big");
        assertThatThrownBy(() -> Files.write(big, new byte[2 << 20])).isInstanceOf(IOException.class)
                .hasMessage("No space left on device");
        long freeWhenFull = Files.getFileStore(fs.root()).getUsableSpace();
        assertThat(freeWhenFull).isLessThan(1 << 20);
        Files.delete(big);
        assertThat(Files.getFileStore(fs.root()).getUsableSpace()).isEqualTo(1 << 20);
        Files.write(big, new byte[1 << 20]);
        assertThat(Files.getFileStore(fs.root()).getUsableSpace()).isZero();
    }

    @Test
    void theFileStoreCountsTheAllocatorsBlocks() throws IOException {
        fs(8 << 20);
        var store = Files.getFileStore(fs.root());
        assertThat(store.getTotalSpace()).isEqualTo(8 << 20);
        Files.write(fs.getPath("/f"), new byte[3 * BS + 1]);
        assertThat(store.getUnallocatedSpace()).isEqualTo((8 << 20) - 4L * BS);
        try (FileChannel ch = FileChannel.open(fs.getPath("/f"), StandardOpenOption.WRITE)) {
            ch.truncate(BS);
        }
        assertThat(store.getUnallocatedSpace()).isEqualTo((8 << 20) - BS);
    }

    @Test
    void theJournalKeepsMetadataOperationsAndFsyncsInOrder() throws IOException {
        fs(8 << 20);
        Path dir = Files.createDirectory(fs.getPath("/db"));
        Path tmp = dir.resolve("MANIFEST.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
            ch.write(ByteBuffer.wrap(new byte[100]));
            ch.force(true);
        }
        Files.move(tmp, dir.resolve("MANIFEST"), StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
        Files.delete(dir.resolve("MANIFEST"));
        List<MetadataJournal.Entry> entries = volume(dir).journal().entries();
        assertThat(entries).extracting(MetadataJournal.Entry::kind).containsExactly(MetadataJournal.Kind.MKDIR,
                MetadataJournal.Kind.CREATE, MetadataJournal.Kind.FSYNC, MetadataJournal.Kind.RENAME,
                MetadataJournal.Kind.FSYNC_DIRECTORY, MetadataJournal.Kind.UNLINK);
        assertThat(entries.get(3).path()).isEqualTo("/db/MANIFEST.tmp");
        assertThat(entries.get(3).target()).isEqualTo("/db/MANIFEST");
        assertThat(entries.get(4).path()).isEqualTo("/db");
        assertThat(entries).extracting(MetadataJournal.Entry::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void aRangeOverSeveralExtentsIsOneDeviceCallPerExtent() throws IOException {
        fs(8 << 20);
        Path a = fs.getPath("/a");
        Path b = fs.getPath("/b");
        try (FileChannel ca = FileChannel.open(a, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
             FileChannel cb = FileChannel.open(b, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            for (int i = 0; i < 3; i++) { // a and b take turns, so each of a's blocks is an extent of its own
                ca.write(ByteBuffer.wrap(new byte[BS]), (long) i * BS);
                cb.write(ByteBuffer.wrap(new byte[BS]), (long) i * BS);
            }
            assertThat(inode(a).extents().size()).isEqualTo(3);
            Map<Long, OperationInfo> ops = recordOperations();
            byte[] data = new byte[3 * BS];
            new Random(1).nextBytes(data);
            assertThat(ca.write(ByteBuffer.wrap(data), 0)).isEqualTo(3 * BS);
            ByteBuffer back = ByteBuffer.allocate(3 * BS);
            assertThat(ca.read(back, 0)).isEqualTo(3 * BS);
            assertThat(back.array()).isEqualTo(data);
            assertThat(ops.values()).extracting(OperationInfo::kind)
                    .containsExactly(OpKind.WRITE, OpKind.WRITE, OpKind.WRITE, OpKind.READ, OpKind.READ, OpKind.READ);
            long[] expected = new long[3];
            for (int i = 0; i < 3; i++) {
                expected[i] = inode(a).extents().deviceBlock(i) * BS;
            }
            assertThat(ops.values().stream().limit(3).mapToLong(OperationInfo::offset).toArray()).containsExactly(expected);
        }
        assertThat(device.finish().all()).isEmpty();
    }

    @Test
    void aShortDeviceTransferIsAShortCountToTheCaller() throws IOException {
        fs(SimulatedDevice.builder().capacity(8 << 20).blockSize(BS).seed(0x5407).shortTransferProbability(1.0).build());
        Path f = fs.getPath("/short");
        byte[] data = new byte[16 * BS];
        new Random(2).nextBytes(data);
        Files.write(f, data);
        try (FileChannel ch = FileChannel.open(f)) {
            ByteBuffer b = ByteBuffer.allocate(16 * BS);
            int n = ch.read(b, 0);
            assertThat(n).isPositive().isLessThan(16 * BS);
            while (b.hasRemaining()) {
                ch.read(b, b.position());
            }
            assertThat(b.array()).isEqualTo(data);
        }
        assertThat(device.finish().all()).isEmpty();
    }

    @Test
    void theNewBlocksAShortWriteDidNotReachAreHolesAgain() throws IOException {
        fs(SimulatedDevice.builder().capacity(8 << 20).blockSize(BS).seed(0x5408).shortTransferProbability(1.0).build());
        var store = Files.getFileStore(fs.root());
        long free = store.getUnallocatedSpace();
        try (FileChannel ch = FileChannel.open(fs.getPath("/s"), StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE, ExtendedOpenOption.DIRECT)) {
            int n = ch.write(direct(8 * BS), 0);
            assertThat(n).isPositive().isLessThan(8 * BS);
            assertThat(n % BS).isZero();
            assertThat(ch.size()).isEqualTo(n);
            assertThat(store.getUnallocatedSpace()).isEqualTo(free - n);
            assertThat(inode(fs.getPath("/s")).extents().allocatedBlocks()).isEqualTo(n / BS);
        }
    }

    @Test
    void aFreedBlockReadsAsZerosInItsNextFile() throws IOException {
        fs(1 << 20);
        byte[] ones = new byte[1 << 20];
        Arrays.fill(ones, (byte) 0xFF);
        Files.write(fs.getPath("/old"), ones);
        Files.delete(fs.getPath("/old"));
        try (FileChannel ch = FileChannel.open(fs.getPath("/new"), StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE)) {
            ch.write(ByteBuffer.wrap(new byte[] {5}), 5000);
            ch.write(ByteBuffer.wrap(new byte[] {6}), 3 * BS + 10);
        }
        byte[] expected = new byte[3 * BS + 11];
        expected[5000] = 5;
        expected[3 * BS + 10] = 6;
        assertThat(Files.readAllBytes(fs.getPath("/new"))).isEqualTo(expected);
        assertThat(device.finish().all()).isEmpty();
    }

    @Test
    void anAsynchronousReadOverSeveralExtentsAndAHoleIsComplete() throws Exception {
        fs(8 << 20);
        Path a = fs.getPath("/aa");
        try (FileChannel ca = FileChannel.open(a, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
             FileChannel cb = FileChannel.open(fs.getPath("/bb"), StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            ca.write(ByteBuffer.wrap(new byte[] {1}), 0);
            cb.write(ByteBuffer.wrap(new byte[BS]), 0);
            ca.write(ByteBuffer.wrap(new byte[] {2}), BS);
            ca.write(ByteBuffer.wrap(new byte[] {3}), 3 * BS);
        }
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(a, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4 * BS);
            assertThat(ch.read(b, 0).get(10, TimeUnit.SECONDS)).isEqualTo(3 * BS + 1);
            assertThat(b.position()).isEqualTo(3 * BS + 1);
            assertThat(b.get(0)).isEqualTo((byte) 1);
            assertThat(b.get(BS)).isEqualTo((byte) 2);
            assertThat(b.get(3 * BS)).isEqualTo((byte) 3);
        }
        assertThat(device.finish().all()).isEmpty();
    }

    @Test
    void bufferedFilesGoThroughTheDevicesKernelPath() throws IOException {
        fs(SimulatedDevice.builder().capacity(8 << 20).blockSize(BS).seed(0x4E4E)
                .ioPath(io.staleguard.device.sim.kernel.KernelIoPath.of(
                        io.staleguard.device.sim.kernel.KernelPreset.MODERN)).build());
        byte[] data = new byte[10_000];
        new Random(3).nextBytes(data);
        Files.write(fs.getPath("/k"), data);
        assertThat(Files.readAllBytes(fs.getPath("/k"))).isEqualTo(data);
        try (FileChannel ch = FileChannel.open(fs.getPath("/k"), StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        assertThat(device.finish().all()).isEmpty();
    }

    /**
     * A 1 GiB filesystem with 10 MiB written: the memory that grows with the data is the device's media (chunks
     * touched by writes) and the allocator's free extents, so both are measured; the heap as a whole is checked
     * against the 64 MiB budget too.
     */
    @Test
    void aGibibyteFilesystemWithTenMebibytesWrittenStaysSmall() throws IOException {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapBefore = rt.totalMemory() - rt.freeMemory();
        fs(SimulatedDevice.builder().capacity(1L << 30).blockSize(BS).seed(0x61B).build());
        assertThat(device.allocatedMediaBytes()).isZero();
        byte[] chunk = new byte[1 << 20];
        new Random(4).nextBytes(chunk);
        Files.createDirectories(fs.getPath("/data"));
        for (int i = 0; i < 10; i++) {
            Files.write(fs.getPath("/data/segment-" + i), chunk);
        }
        Volume v = volume(fs.root());
        assertThat(v.allocator().freeBlocks()).isEqualTo((1L << 30) / BS - (10L << 20) / BS);
        assertThat(v.allocator().freeExtentCount()).isEqualTo(1);
        assertThat(device.allocatedMediaBytes()).isGreaterThanOrEqualTo(10L << 20).isLessThanOrEqualTo(11L << 20);
        System.gc();
        long heapAfter = rt.totalMemory() - rt.freeMemory();
        assertThat(heapAfter - heapBefore).as("heap grown by the filesystem and its device").isLessThan(64L << 20);
        assertThat(device.finish().all()).isEmpty();
    }
}
