package io.staleguard.device.fs.crash.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.fs.internal.FsPath;
import io.staleguard.device.fs.internal.SimulatedFileSystemProvider;
import io.staleguard.device.fs.internal.Volume;
import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated filesystem's crash target mounts a state as the base media plus an overlay of the blocks that
 * differ, and the state's namespace. What a recovery sees there is the image, byte for byte: in particular a file's
 * last block reads as zeros past its size, as on Linux after a crash, also when the recovery extends the file, and
 * whether the stale bytes came from the recorded run (a write kept under a size that did not persist) or from the
 * base media. {@code mvn test -pl device-backend -Dtest=OverlayMountTest}.
 */
class OverlayMountTest {

    static final long SEED = 0x0BE7_1A75L;
    static final int BLOCK = 4096;

    private SimulatedDevice device;
    private SimulatedFileSystem fs;
    private Volume volume;

    @BeforeEach
    void open() throws IOException {
        device = SimulatedDevice.builder().capacity(64L << 20).blockSize(BLOCK).seed(SEED).build();
        fs = SimulatedFileSystem.on(device);
        volume = SimulatedFileSystemProvider.volumeOf(fs);
        Files.createDirectory(fs.getPath("/test"));
    }

    @AfterEach
    void close() throws IOException {
        fs.close();
        device.close();
    }

    private static byte[] filled(int n, int b) {
        byte[] out = new byte[n];
        Arrays.fill(out, (byte) b);
        return out;
    }

    private static void write(FileChannel ch, byte[] data, long at) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
            ch.write(b, at + b.position());
        }
    }

    /** The media bytes of the device block under file block 0 of {@code file} in the state mounted now. */
    private byte[] mediaOfFirstBlock(Path file) throws IOException {
        long home = volume.inodeOf(FsPath.of(file)).extents().deviceBlock(0);
        assertThat(home).as("block 0 of %s is mapped", file).isNotNegative();
        return device.tamper().readMedia(home * BLOCK, BLOCK);
    }

    /** Extends {@code file} by one byte at 3000 and returns what then reads between {@code from} and 3000. */
    private static byte[] gapAfterExtending(Path file, long from) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            write(ch, new byte[] {'x'}, 3000);
            ByteBuffer gap = ByteBuffer.allocate((int) (3000 - from));
            while (gap.hasRemaining() && ch.read(gap, from + gap.position()) > 0) {
                // read the whole gap
            }
            return gap.array();
        }
    }

    @Test
    void aWriteKeptUnderASizeThatDidNotPersistLeavesZerosPastTheEnd() throws IOException {
        Path wal = fs.getPath("/test/wal");
        FsCrashTarget target = (FsCrashTarget) FsCrashTarget.of(fs);
        target.arm();
        try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            write(ch, filled(1000, 'a'), 0);
            ch.force(false);
            write(ch, filled(1000, 'b'), 1000);      // volatile: its data may persist while the size stays 1000
        }
        CrashTarget.Recorded rec = target.finish();
        long ino = rec.log().records().stream().filter(r -> r instanceof LogRecord.WriteRec)
                .mapToLong(r -> ((LogRecord.WriteRec) r).ino()).findFirst().orElseThrow();
        TreeImage state = new CrashImageBuilder(rec.base(), rec.log(), 512).live(rec.log().end());
        state.setSize(ino, 1000);

        target.enter(0, state);
        assertThat(Files.size(wal)).isEqualTo(1000);
        byte[] block = mediaOfFirstBlock(wal);
        assertThat(Arrays.copyOfRange(block, 0, 1000)).as("seed 0x%x", SEED).isEqualTo(filled(1000, 'a'));
        assertThat(Arrays.copyOfRange(block, 1000, BLOCK)).as("the last block past the size on the media, seed 0x%x",
                SEED).isEqualTo(new byte[BLOCK - 1000]);
        assertThat(gapAfterExtending(wal, 1000)).as("what a recovery that extends the file reads, seed 0x%x", SEED)
                .isEqualTo(new byte[2000]);
        target.leave();

        assertThat(Files.size(wal)).as("the end state after leaving").isEqualTo(2000);
        assertThat(Files.readAllBytes(wal)).startsWith(filled(1000, 'a')).endsWith(filled(1000, 'b'));
        assertThat(device.violations().total()).as(device.violations().all().toString()).isZero();
    }

    @Test
    void staleBytesPastTheEndOnTheBaseMediaReadAsZeros() throws IOException {
        Path old = fs.getPath("/test/old");
        try (FileChannel ch = FileChannel.open(old, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            write(ch, filled(100, 'o'), 0);
            ch.force(true);
        }
        device.flush();
        // Bytes past the end of the file on the media, as a filesystem that does not zero its tails leaves them.
        long home = volume.inodeOf(FsPath.of(old)).extents().deviceBlock(0);
        byte[] junk = filled(BLOCK, 'j');
        System.arraycopy(filled(100, 'o'), 0, junk, 0, 100);
        device.tamper().replaceBlocks(home * BLOCK, junk, 0);

        FsCrashTarget target = (FsCrashTarget) FsCrashTarget.of(fs);
        target.arm();
        Path other = fs.getPath("/test/other");
        try (FileChannel ch = FileChannel.open(other, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            write(ch, filled(10, 'n'), 0);
        }
        CrashTarget.Recorded rec = target.finish();
        target.enter(0, new CrashImageBuilder(rec.base(), rec.log(), 512).live(1));

        assertThat(Files.exists(other)).isFalse();
        assertThat(Files.readAllBytes(old)).isEqualTo(filled(100, 'o'));
        assertThat(Arrays.copyOfRange(mediaOfFirstBlock(old), 100, BLOCK)).as("seed 0x%x", SEED)
                .isEqualTo(new byte[BLOCK - 100]);
        assertThat(gapAfterExtending(old, 100)).as("seed 0x%x", SEED).isEqualTo(new byte[2900]);
        target.leave();
    }

    @Test
    void aStateMountsOnlyTheBlocksInWhichItDiffersFromTheBase() throws IOException {
        Path big = fs.getPath("/test/big");
        try (FileChannel ch = FileChannel.open(big, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int i = 0; i < 64; i++) {
                write(ch, filled(BLOCK, i), (long) i * BLOCK);
            }
            ch.force(true);
        }
        FsCrashTarget target = (FsCrashTarget) FsCrashTarget.of(fs);
        target.arm();
        try (FileChannel ch = FileChannel.open(big, StandardOpenOption.WRITE)) {
            write(ch, filled(10, 'w'), 5L * BLOCK + 7);                 // one block
            write(ch, filled(BLOCK, 'v'), 20L * BLOCK + 100);          // two blocks
        }
        CrashTarget.Recorded rec = target.finish();
        TreeImage end = new CrashImageBuilder(rec.base(), rec.log(), 512).live(rec.log().end());
        MediaImageReader.Read base = new MediaImageReader.Read(rec.base(), java.util.Set.of());
        OverlayMount mount = new OverlayMount(base, volume.snapshot(), volume.snapshot(),
                RecordedBlockMap.of(volume.snapshot(), rec.log(), BLOCK, device.capacity() / BLOCK));
        OverlayMount.Mount m = mount.of(end);
        assertThat(m.overlay().size()).as("blocks that differ from the base").isEqualTo(3);

        target.enter(0, end);
        byte[] all = Files.readAllBytes(big);
        assertThat(all[5 * BLOCK + 7]).isEqualTo((byte) 'w');
        assertThat(all[5 * BLOCK + 6]).isEqualTo((byte) 5);
        assertThat(all[21 * BLOCK + 99]).isEqualTo((byte) 'v');
        assertThat(all[21 * BLOCK + 100]).isEqualTo((byte) 21);
        assertThat(all[63 * BLOCK]).isEqualTo((byte) 63);
        target.leave();
        assertThat(device.violations().total()).as(device.violations().all().toString()).isZero();
    }
    @Test
    void twoFilesOfAStateOnABlockTheRunReusedAfterItsQuarantineWasReleasedGetOneEach() throws IOException {
        fs.close();
        device.close();
        device = SimulatedDevice.builder().capacity(1L << 20).blockSize(BLOCK).seed(SEED).build();
        fs = SimulatedFileSystem.on(device);
        volume = SimulatedFileSystemProvider.volumeOf(fs);
        Path dir = Files.createDirectory(fs.getPath("/test"));
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        FsCrashTarget target = (FsCrashTarget) FsCrashTarget.of(fs);
        target.arm();
        Path c = dir.resolve("c");
        try (FileChannel ch = FileChannel.open(a, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            write(ch, filled(150 * BLOCK, 'a'), 0);
            ch.force(true);
        }
        Files.delete(a);                                // quarantined: its 150 blocks are held back
        try (FileChannel ch = FileChannel.open(c, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            write(ch, filled(100 * BLOCK, 'c'), 0);     // 6 blocks stay free
        }
        Files.delete(c);
        try (FileChannel ch = FileChannel.open(b, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            write(ch, filled(50 * BLOCK, 'b'), 0);      // the quarantine is released and freed blocks are reused
            ch.force(true);
        }
        CrashTarget.Recorded rec = target.finish();
        assertThat(rec.log().records()).as("the run released its quarantine, seed 0x%x", SEED)
                .anyMatch(r -> r instanceof LogRecord.MarkRec m && m.text().equals(PersistenceLog.QUARANTINE_RELEASED));
        LogRecord.EntryRec createA = rec.log().records().stream()
                .filter(r -> r instanceof LogRecord.EntryRec e && e.name().equals("a"))
                .map(r -> (LogRecord.EntryRec) r).findFirst().orElseThrow();
        // A state in which the unlink of a did not persist, and b's writes did.
        TreeImage state = new CrashImageBuilder(rec.base(), rec.log(), 512).live(rec.log().end());
        state.link(createA.parentIno(), "a", createA.ino(), false);

        target.enter(0, state);
        assertThat(Files.readAllBytes(a)).as("seed 0x%x", SEED).isEqualTo(filled(150 * BLOCK, 'a'));
        assertThat(Files.readAllBytes(b)).as("seed 0x%x", SEED).isEqualTo(filled(50 * BLOCK, 'b'));
        assertThat(Files.exists(c)).isFalse();
        target.leave();
        assertThat(Files.exists(a)).isFalse();
        assertThat(Files.readAllBytes(b)).isEqualTo(filled(50 * BLOCK, 'b'));
        assertThat(device.violations().total()).as(device.violations().all().toString()).isZero();
    }
}
