package io.staleguard.device.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.sim.IoPath;
import io.staleguard.device.sim.MediaSnapshot;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A volume restored to a namespace image holds exactly that image, as a mount after a power loss finds it: names,
 * sizes and bytes of the snapshot, the allocator holding only the image's blocks, and every channel of the old
 * namespace closed.
 */
class VolumeRestoreTest {

    static final long SEED = 0x5E570AEL;

    static String why(boolean kernel) {
        return (kernel ? "KernelIoPath MODERN" : "no kernel path") + ", seed 0x" + Long.toHexString(SEED)
                + "; reproduce with: mvn test -pl device-backend -Dtest=VolumeRestoreTest";
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    static SimulatedDevice device(boolean kernel) {
        SimulatedDevice.Builder b = SimulatedDevice.builder().capacity(8 << 20).blockSize(4096).seed(SEED);
        if (kernel) {
            IoPath path = KernelIoPath.of(KernelPreset.MODERN);
            b.ioPath(path);
        }
        return b.build();
    }

    static Volume volume(SimulatedFileSystem fs) {
        return SimulatedFileSystemProvider.volumeOf(fs);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void restoreToASnapshotUndoesTheRunAndClosesItsChannels(boolean kernel) throws Exception {
        String why = why(kernel);
        byte[] a = bytes(5000, 1);
        try (SimulatedDevice device = device(kernel); SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Volume v = volume(fs);
            Path test = Files.createDirectories(fs.getPath("/test"));
            Files.write(test.resolve("a"), a);
            Files.createDirectory(test.resolve("d"));
            device.flush();
            long free = v.allocator().freeBlocks();
            MediaSnapshot base = device.freezeMedia();
            NamespaceImage image = v.snapshot();

            FileChannel ch = FileChannel.open(test.resolve("a"), StandardOpenOption.WRITE, StandardOpenOption.READ);
            ch.write(ByteBuffer.wrap(bytes(9000, 2)), 0);
            FileChannel dir = FileChannel.open(test, StandardOpenOption.READ);
            AsynchronousFileChannel async = AsynchronousFileChannel.open(test.resolve("b"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            async.write(ByteBuffer.wrap(bytes(4096, 3)), 0).get();
            Files.delete(test.resolve("d"));
            Files.move(test.resolve("a"), test.resolve("c"), StandardCopyOption.ATOMIC_MOVE);
            Files.write(test.resolve("e"), bytes(20000, 4));
            Files.delete(test.resolve("e"));

            device.powerCycle(base);
            v.restore(image);

            assertThat(Files.readAllBytes(test.resolve("a"))).as(why).isEqualTo(a);
            assertThat(Files.isDirectory(test.resolve("d"))).as(why).isTrue();
            assertThat(Files.exists(test.resolve("b"))).as(why).isFalse();
            assertThat(Files.exists(test.resolve("c"))).as(why).isFalse();
            assertThat(v.list(FsPath.of(test))).as(why).containsExactly("a", "d");
            assertThat(v.allocator().freeBlocks()).as(why + ": the allocator holds the image's blocks only")
                    .isEqualTo(free);
            assertThat(ch.isOpen()).as(why).isFalse();
            assertThatThrownBy(() -> ch.write(ByteBuffer.wrap(new byte[1]), 0)).as(why)
                    .isInstanceOf(ClosedChannelException.class);
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1), 0)).isInstanceOf(ClosedChannelException.class);
            assertThatThrownBy(() -> dir.force(true)).as(why).isInstanceOf(ClosedChannelException.class);
            assertThat(async.isOpen()).as(why).isFalse();
            ch.close();
            dir.close();
            async.close();

            // The restored file's blocks are its own: a new file does not get them, and both read back.
            byte[] f = bytes(12000, 5);
            Files.write(test.resolve("f"), f);
            try (FileChannel w = FileChannel.open(test.resolve("a"), StandardOpenOption.WRITE)) {
                w.write(ByteBuffer.wrap(new byte[] {9}), 4999);
                w.force(true);
            }
            a[4999] = 9;
            assertThat(Files.readAllBytes(test.resolve("a"))).as(why).isEqualTo(a);
            assertThat(Files.readAllBytes(test.resolve("f"))).as(why).isEqualTo(f);
            assertThat(v.find(FsPath.of(test.resolve("f"))).number()).as(why + ": numbers go on from the image")
                    .isEqualTo(image.nextInode());
            assertThat(device.violations().all()).as(why).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void restoreToTheEndImageGoesBackAfterARestoreToTheBase(boolean kernel) throws Exception {
        String why = why(kernel);
        try (SimulatedDevice device = device(kernel); SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Volume v = volume(fs);
            Path test = Files.createDirectories(fs.getPath("/test"));
            device.flush();
            MediaSnapshot base = device.freezeMedia();
            NamespaceImage start = v.snapshot();
            byte[] wal = bytes(70000, 6);
            Files.createDirectory(test.resolve("wal"));
            Files.write(test.resolve("wal/seg-1.log"), wal);
            device.flush();
            MediaSnapshot end = device.freezeMedia();
            NamespaceImage endNs = v.snapshot();

            device.powerCycle(base);
            v.restore(start);
            assertThat(Files.exists(test.resolve("wal"))).as(why).isFalse();
            device.powerCycle(end);
            v.restore(endNs);
            assertThat(Files.readAllBytes(test.resolve("wal/seg-1.log"))).as(why).isEqualTo(wal);
            assertThat(Files.size(test.resolve("wal/seg-1.log"))).isEqualTo(70000);
            assertThat(device.violations().all()).as(why).isEmpty();
        }
    }

    @Test
    void aSnapshotHoldsTheReachableInodesWithTheirMetadata() throws Exception {
        try (SimulatedDevice device = device(false); SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Volume v = volume(fs);
            Path test = Files.createDirectories(fs.getPath("/test"));
            Files.write(test.resolve("x"), bytes(5000, 7));
            FileChannel open = FileChannel.open(test.resolve("gone"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            open.write(ByteBuffer.wrap(bytes(100, 8)));
            Files.delete(test.resolve("gone"));
            NamespaceImage img = v.snapshot();
            long x = img.resolve("/test/x");
            NamespaceImage.InodeImage xi = img.inode(x);
            assertThat(xi.size()).isEqualTo(5000);
            assertThat(xi.extents().allocatedBlocks()).isEqualTo(2);
            assertThat(xi.dir()).isFalse();
            assertThat(img.inode(img.resolve("/test")).children()).containsOnlyKeys("x");
            assertThat(img.inodes()).as("the unlinked open file is not in it").hasSize(3);
            assertThat(img.resolve("/test/gone")).isEqualTo(-1);
            open.close();
        }
    }

    @Test
    void restoreToABuiltImageAppliesItsNamesAndSizes() throws Exception {
        try (SimulatedDevice device = device(false); SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Volume v = volume(fs);
            Path test = Files.createDirectories(fs.getPath("/test"));
            byte[] data = bytes(8192, 9);
            Files.write(test.resolve("log"), data);
            device.flush();
            NamespaceImage img = v.snapshot();
            long dirIno = img.resolve("/test");
            long log = img.resolve("/test/log");
            NamespaceImage crash = img.toBuilder().size(log, 100).unlink(dirIno, "log", log)
                    .link(dirIno, "renamed", log, false).link(dirIno, "empty", 40, false).build();
            assertThat(img.resolve("/test/log")).as("the image it came from does not change").isEqualTo(log);

            v.restore(crash);

            assertThat(Files.exists(test.resolve("log"))).isFalse();
            assertThat(Files.readAllBytes(test.resolve("renamed"))).isEqualTo(java.util.Arrays.copyOf(data, 100));
            assertThat(Files.size(test.resolve("empty"))).isZero();
            assertThat(v.find(FsPath.of(test.resolve("empty"))).number()).isEqualTo(40);
            assertThat(crash.nextInode()).isEqualTo(41);
        }
    }

    @Test
    void mapRunMapsTheRunsBlocksAndRestoreCutsBlocksPastTheSize() throws Exception {
        try (SimulatedDevice device = device(false); SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Volume v = volume(fs);
            NamespaceImage img = NamespaceImage.empty().toBuilder().link(1, "f", 2, false)
                    .mapRun(2, 100, 40 * 4096 + 100, 9000, 4096)
                    .mapRun(2, 0, 500 * 4096, 4096, 4096)
                    .size(2, 5000).build();
            ExtentList map = img.inode(2).extents();
            assertThat(map.deviceBlock(0)).as("a block mapped already stays").isEqualTo(40);
            assertThat(map.deviceBlock(2)).isEqualTo(42);
            assertThat(map.allocatedBlocks()).isEqualTo(3);
            assertThatThrownBy(() -> img.toBuilder().mapRun(2, 1, 4096, 10, 4096))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("file offset 1 and device offset 4096 are at different places in their 4096-byte "
                            + "blocks");
            long free = v.allocator().freeBlocks();
            v.restore(img);
            assertThat(v.find(FsPath.of(fs.getPath("/f"))).extents().allocatedBlocks()).isEqualTo(2);
            assertThat(v.allocator().freeBlocks()).isEqualTo(free - 2);
        }
    }

    @Test
    void restoreTurnsOffTheListenerAndQuarantine() throws Exception {
        try (SimulatedDevice device = device(false); SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Volume v = volume(fs);
            NamespaceImage img = v.snapshot();
            v.events(new PersistenceEvents() { });
            v.quarantine(true);
            v.restore(img);
            assertThat(v.events()).isSameAs(PersistenceEvents.NONE);
            assertThat(v.allocator().quarantined()).isFalse();
        }
    }

    @Test
    void badImagesAreRefusedNamingTheProblem() throws Exception {
        NamespaceImage.InodeImage root = NamespaceImage.InodeImage.fresh(1, true);
        assertThatThrownBy(() -> new NamespaceImage(Map.of(2L, NamespaceImage.InodeImage.fresh(2, false)), 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a namespace image needs the root directory as inode 1");
        assertThatThrownBy(() -> new NamespaceImage(Map.of(1L, root.withChildren(new TreeMap<>(Map.of("a", 7L)))), 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("directory 1 names 'a' as inode 7, which the image does not hold");
        assertThatThrownBy(() -> new NamespaceImage(Map.of(1L, root), 1))
                .hasMessage("nextInode must be > 1 (the largest inode), was 1");
        assertThatThrownBy(() -> NamespaceImage.InodeImage.fresh(3, false).withChildren(new TreeMap<>(Map.of("a", 1L))))
                .hasMessage("inode 3 is a file but holds names [a]");
        NamespaceImage twice = NamespaceImage.empty().toBuilder().link(1, "d", 2, true).link(2, "x", 3, false)
                .link(1, "y", 3, false).build();
        try (SimulatedDevice device = device(false); SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            assertThatThrownBy(() -> volume(fs).restore(twice)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("inode 3 is named twice");
        }
        ExtentList one = ExtentList.EMPTY.with(0, 10, 2);
        NamespaceImage shared = NamespaceImage.empty().toBuilder().link(1, "p", 2, false).link(1, "q", 3, false)
                .extents(2, one).extents(3, one).size(2, 8192).size(3, 8192).build();
        try (SimulatedDevice device = device(false); SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            assertThatThrownBy(() -> volume(fs).restore(shared)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("namespace image: blocks [10, 12) are used twice");
        }
    }

    @Test
    void rebuildMakesExactlyTheUsedBlocksAllocated() throws Exception {
        ExtentAllocator a = new ExtentAllocator(100);
        a.allocate(50, -1);
        a.quarantine(true);
        a.free(0, 10);
        a.rebuild(List.of(ExtentList.EMPTY.with(0, 20, 5), ExtentList.EMPTY.with(0, 90, 10)));
        assertThat(a.freeBlocks()).isEqualTo(85);
        assertThat(a.quarantined()).isFalse();
        assertThat(a.heldBlocks()).isZero();
        assertThat(a.allocate(30, -1)).containsExactly(25, 30);
        assertThat(a.allocate(25, -1)).containsExactly(55, 25);
        assertThat(a.allocate(30, -1)).containsExactly(0, 20);
        assertThatThrownBy(() -> a.rebuild(List.of(ExtentList.EMPTY.with(0, 95, 10))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("blocks [95, 105) are outside the device's 100 blocks");
    }

    @Test
    void quarantineOffGivesTheHeldBlocksBack() throws Exception {
        ExtentAllocator a = new ExtentAllocator(10);
        a.allocate(10, -1);
        a.quarantine(true);
        a.free(0, 4);
        assertThat(a.freeBlocks()).isZero();
        assertThat(a.heldBlocks()).isEqualTo(4);
        a.quarantine(false);
        assertThat(a.freeBlocks()).isEqualTo(4);
        assertThat(a.allocate(4, -1)).containsExactly(0, 4);
    }
}
