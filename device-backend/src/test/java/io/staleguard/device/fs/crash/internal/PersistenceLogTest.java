package io.staleguard.device.fs.crash.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.IoMode;
import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.fs.crash.internal.LogRecord.AckRec;
import io.staleguard.device.fs.crash.internal.LogRecord.ClaimRec;
import io.staleguard.device.fs.crash.internal.LogRecord.CloseRec;
import io.staleguard.device.fs.crash.internal.LogRecord.EntryOp;
import io.staleguard.device.fs.crash.internal.LogRecord.EntryRec;
import io.staleguard.device.fs.crash.internal.LogRecord.MarkRec;
import io.staleguard.device.fs.crash.internal.LogRecord.SyncRec;
import io.staleguard.device.fs.crash.internal.LogRecord.TruncateRec;
import io.staleguard.device.fs.crash.internal.LogRecord.WriteRec;
import io.staleguard.device.fs.internal.FsPath;
import io.staleguard.device.fs.internal.PersistenceEvents;
import io.staleguard.device.fs.internal.SimulatedFileSystemProvider;
import io.staleguard.device.fs.internal.Volume;
import io.staleguard.device.sim.SimulatedDevice;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real workload on the simulated filesystem, recorded by the persistence log: every operation that matters for a
 * crash gives exactly the expected record, with parent inodes, names, sizes, the bytes and the device runs they
 * landed on.
 */
class PersistenceLogTest {

    static final long SEED = 0xC2A5L;
    static final String WHY = "seed 0x" + Long.toHexString(SEED)
            + "; reproduce with: mvn test -pl device-backend -Dtest=PersistenceLogTest";

    /** The thread the test runs on, which the records name. */
    final String T = Thread.currentThread().getName();
    SimulatedDevice device;
    SimulatedFileSystem fs;
    Volume volume;
    PersistenceLog log;

    @BeforeEach
    void setUp() throws Exception {
        device = SimulatedDevice.builder().capacity(8 << 20).blockSize(4096).seed(SEED).build();
        fs = SimulatedFileSystem.on(device);
        Files.createDirectories(fs.getPath("/test"));
        volume = SimulatedFileSystemProvider.volumeOf(fs);
        log = PersistenceLog.on(device);
    }

    @AfterEach
    void tearDown() throws Exception {
        fs.close();
        device.close();
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    long ino(String path) throws Exception {
        return volume.inodeOf(FsPath.of(fs.getPath(path))).number();
    }

    byte[] recorded(WriteRec w) {
        byte[] out = new byte[w.len()];
        log.bytes().copy(w.arenaOff(), w.len(), out, 0);
        return out;
    }

    /** The bytes at the write's device runs, read from the device: where the record says they went. */
    byte[] onDevice(WriteRec w) throws Exception {
        ByteBuffer out = ByteBuffer.allocate(w.len());
        long[] runs = w.deviceRuns();
        for (int k = 0; k < runs.length; k += 2) {
            ByteBuffer part = out.slice(out.position(), (int) runs[k + 1]);
            device.read(part, runs[k], IoMode.BUFFERED);
            out.position(out.position() + (int) runs[k + 1]);
        }
        return out.array();
    }

    @Test
    void aWorkloadGivesExactlyItsRecordsInOrder() throws Exception {
        long test = ino("/test");
        byte[] first = bytes(100, 1);
        byte[] second = bytes(50, 2);
        volume.events(log);

        Path wal = fs.getPath("/test/wal");
        Files.createDirectory(wal);
        Path seg1 = wal.resolve("seg-1.log");
        try (FileChannel ch = FileChannel.open(seg1, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(first), 0);
            ch.write(ByteBuffer.wrap(second), 100);
            ch.force(false);
            ch.truncate(120);
            ch.force(true);
        }
        try (FileChannel dir = FileChannel.open(wal, StandardOpenOption.READ)) {
            dir.force(true);
        }
        log.acknowledge("seg-1");
        Path seg2 = wal.resolve("seg-2.log");
        Files.move(seg1, seg2, StandardCopyOption.ATOMIC_MOVE);
        log.claim("/test/wal/seg-2.log", ino("/test/wal/seg-2.log"), 0, 120, true);
        Files.delete(seg2);
        Files.delete(wal);
        volume.events(PersistenceEvents.NONE);
        Files.createDirectory(fs.getPath("/test/after"));

        List<LogRecord> r = log.toCrashLog().records();
        assertThat(r).as(WHY + ": " + r).hasSize(14);
        long walIno = ((EntryRec) r.get(0)).ino();
        assertThat(r.get(0)).as(WHY).isEqualTo(new EntryRec(1, r.get(0).time(), EntryOp.MKDIR, test, "wal", walIno,
                true, 0, null, 0, "/test/wal", null, T));
        EntryRec create = (EntryRec) r.get(1);
        long seg = create.ino();
        assertThat(create).as(WHY).isEqualTo(new EntryRec(2, create.time(), EntryOp.CREATE, walIno, "seg-1.log", seg,
                false, 0, null, 0, "/test/wal/seg-1.log", null, T));
        WriteRec w1 = (WriteRec) r.get(2);
        assertThat(List.of(w1.seq(), w1.ino(), w1.path(), w1.fileOff(), w1.len(), w1.allocating(), w1.sizeBefore(),
                w1.sizeAfter(), w1.mode(), w1.thread())).as(WHY)
                .containsExactly(3L, seg, "/test/wal/seg-1.log", 0L, 100, true, 0L, 100L, IoMode.BUFFERED, T);
        assertThat(recorded(w1)).as(WHY).isEqualTo(first);
        assertThat(w1.deviceRuns()).as(WHY).hasSize(2);
        assertThat(w1.deviceRuns()[1]).as(WHY).isEqualTo(100);
        WriteRec w2 = (WriteRec) r.get(3);
        assertThat(List.of(w2.fileOff(), w2.len(), w2.allocating(), w2.sizeBefore(), w2.sizeAfter())).as(WHY)
                .containsExactly(100L, 50, false, 100L, 150L);
        assertThat(w2.deviceRuns()).as(WHY).containsExactly(w1.deviceRuns()[0] + 100, 50);
        assertThat(recorded(w2)).as(WHY).isEqualTo(second);
        assertThat(r.get(4)).as(WHY).isEqualTo(new SyncRec(5, r.get(4).time(), seg, "/test/wal/seg-1.log", false,
                false, false, T));
        assertThat(r.get(5)).as(WHY).isEqualTo(new TruncateRec(6, r.get(5).time(), seg, "/test/wal/seg-1.log", 150,
                120, T));
        assertThat(r.get(6)).as(WHY).isEqualTo(new SyncRec(7, r.get(6).time(), seg, "/test/wal/seg-1.log", false,
                true, false, T));
        assertThat(r.get(7)).as(WHY).isEqualTo(new CloseRec(8, r.get(7).time(), seg, "/test/wal/seg-1.log", T));
        assertThat(r.get(8)).as(WHY).isEqualTo(new SyncRec(9, r.get(8).time(), walIno, "/test/wal", true, true, false,
                T));
        assertThat(r.get(9)).as(WHY).isEqualTo(new AckRec(10, r.get(9).time(), "seg-1", T));
        assertThat(r.get(10)).as(WHY).isEqualTo(new EntryRec(11, r.get(10).time(), EntryOp.RENAME, walIno,
                "seg-1.log", seg, false, walIno, "seg-2.log", 0, "/test/wal/seg-1.log", "/test/wal/seg-2.log",
                T));
        assertThat(r.get(11)).as(WHY).isEqualTo(new ClaimRec(12, r.get(11).time(), "/test/wal/seg-2.log", seg, 0, 120,
                true, T));
        assertThat(r.get(12)).as(WHY).isEqualTo(new EntryRec(13, r.get(12).time(), EntryOp.UNLINK, walIno,
                "seg-2.log", seg, false, 0, null, 0, "/test/wal/seg-2.log", null, T));
        assertThat(r.get(13)).as(WHY).isEqualTo(new EntryRec(14, r.get(13).time(), EntryOp.RMDIR, test, "wal",
                walIno, true, 0, null, 0, "/test/wal", null, T));
        for (int i = 1; i < r.size(); i++) {
            assertThat(r.get(i).time()).as(WHY + ": device clock order at " + i).isGreaterThanOrEqualTo(r.get(i - 1).time());
        }
        assertThat(log.persistenceOps()).as(WHY).isEqualTo(12);
        assertThat(log.changedFiles()).as(WHY).isTrue();
    }

    @Test
    void writesRecordTheBytesAndTheDeviceRunsTheyLandedOn() throws Exception {
        byte[] data = bytes(3 * 4096 + 700, 3);
        Path f = fs.getPath("/test/data");
        volume.events(log);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(data), 1000);
            ByteBuffer[] gather = {ByteBuffer.wrap(data, 0, 10), ByteBuffer.wrap(data, 10, 20)};
            ch.write(gather, 0, 2);
        }
        volume.events(PersistenceEvents.NONE);
        device.flush();
        List<WriteRec> writes = new ArrayList<>();
        for (LogRecord r : log.toCrashLog().records()) {
            if (r instanceof WriteRec w) {
                writes.add(w);
            }
        }
        assertThat(writes).as(WHY + ": a gathering write records each buffer").hasSize(3);
        WriteRec big = writes.get(0);
        assertThat(List.of(big.fileOff(), big.len(), big.sizeBefore(), big.sizeAfter())).as(WHY)
                .containsExactly(1000L, data.length, 0L, 1000L + data.length);
        long runBytes = 0;
        for (int k = 1; k < big.deviceRuns().length; k += 2) {
            runBytes += big.deviceRuns()[k];
        }
        assertThat(runBytes).as(WHY).isEqualTo(data.length);
        assertThat(recorded(big)).as(WHY).isEqualTo(data);
        assertThat(onDevice(big)).as(WHY + ": the runs are where the bytes are").isEqualTo(data);
        assertThat(writes.get(1).fileOff()).isZero();
        assertThat(writes.get(1).len()).isEqualTo(10);
        assertThat(writes.get(2).fileOff()).isEqualTo(10);
        assertThat(recorded(writes.get(2))).as(WHY).isEqualTo(Arrays.copyOfRange(data, 10, 30));
        assertThat(onDevice(writes.get(2))).as(WHY).isEqualTo(Arrays.copyOfRange(data, 10, 30));
    }

    @Test
    void anAsynchronousWriteIsRecordedAtSubmissionWithTheBytesSubmitted() throws Exception {
        byte[] data = bytes(8192, 4);
        Path f = fs.getPath("/test/async");
        volume.events(log);
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(f, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            var done = ch.write(ByteBuffer.wrap(data), 0);
            WriteRec w = (WriteRec) log.toCrashLog().records().get(1);
            assertThat(List.of(w.fileOff(), w.len(), w.allocating(), w.sizeBefore(), w.sizeAfter())).as(WHY)
                    .containsExactly(0L, 8192, true, 0L, 8192L);
            assertThat(recorded(w)).as(WHY).isEqualTo(data);
            assertThat(done.get()).isEqualTo(8192);
            ch.force(false);
        }
        List<LogRecord> r = log.toCrashLog().records();
        assertThat(r.get(0)).isInstanceOf(EntryRec.class);
        assertThat(r.get(2)).as(WHY).isInstanceOf(SyncRec.class);
        assertThat(((SyncRec) r.get(2)).metadata()).isFalse();
        assertThat(r.get(3)).as(WHY).isInstanceOf(CloseRec.class);
    }

    @Test
    void aSyncChannelGivesASyncRecordAfterEveryWrite() throws Exception {
        volume.events(log);
        try (FileChannel ch = FileChannel.open(fs.getPath("/test/sync"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
            ch.write(ByteBuffer.wrap(bytes(10, 5)));
            ch.write(ByteBuffer.wrap(bytes(10, 6)));
        }
        List<LogRecord> r = log.toCrashLog().records();
        assertThat(r.stream().map(x -> x.getClass().getSimpleName()).toList()).as(WHY)
                .containsExactly("EntryRec", "WriteRec", "SyncRec", "WriteRec", "SyncRec", "CloseRec");
        assertThat(((WriteRec) r.get(3)).fileOff()).as(WHY + ": a relative write continues").isEqualTo(10);
    }

    @Test
    void aDsyncOrSyncWriteIsRecordedAsTheWriteAndASyncOfThatWriteOnly() throws Exception {
        volume.events(log);
        for (StandardOpenOption option : new StandardOpenOption[] {StandardOpenOption.DSYNC, StandardOpenOption.SYNC}) {
            Path file = fs.getPath("/test/" + option);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, option)) {
                ch.write(ByteBuffer.wrap(bytes(10, 5)));
                ch.write(ByteBuffer.wrap(new byte[0]));
                ch.write(ByteBuffer.wrap(bytes(10, 6)), 10);
            }
        }
        List<LogRecord> r = log.toCrashLog().records();
        assertThat(r.stream().map(x -> x.getClass().getSimpleName()).toList()).as(WHY + ": an empty write syncs "
                + "nothing").containsExactly("EntryRec", "WriteRec", "SyncRec", "WriteRec", "SyncRec", "CloseRec",
                "EntryRec", "WriteRec", "SyncRec", "WriteRec", "SyncRec", "CloseRec");
        for (int i : new int[] {2, 4, 8, 10}) {
            SyncRec s = (SyncRec) r.get(i);
            assertThat(s.ofWrite()).as(WHY + ": the sync of record %d belongs to the write before it", i + 1)
                    .isEqualTo(r.get(i - 1).seq());
            assertThat(s.metadata()).as(WHY + ": DSYNC syncs data, SYNC also metadata").isEqualTo(i > 6);
            assertThat(s.isDir()).isFalse();
        }
        volume.events(PersistenceEvents.NONE);
    }

    @Test
    void aForceIsASyncOfTheWholeFileNotOfOneWrite() throws Exception {
        volume.events(log);
        try (FileChannel ch = FileChannel.open(fs.getPath("/test/forced"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes(10, 5)));
            ch.force(false);
        }
        SyncRec s = (SyncRec) log.toCrashLog().records().get(2);
        assertThat(s.ofOneWrite()).as(WHY).isFalse();
        assertThat(s.ofWrite()).isZero();
    }

    @Test
    void aRenameOverAFileNamesTheReplacedInodeAndNoSeparateUnlink() throws Exception {
        Files.write(fs.getPath("/test/MANIFEST"), bytes(64, 7));
        Files.write(fs.getPath("/test/MANIFEST.tmp"), bytes(64, 8));
        long test = ino("/test");
        long old = ino("/test/MANIFEST");
        long tmp = ino("/test/MANIFEST.tmp");
        volume.events(log);
        Files.move(fs.getPath("/test/MANIFEST.tmp"), fs.getPath("/test/MANIFEST"), StandardCopyOption.ATOMIC_MOVE);
        List<LogRecord> r = log.toCrashLog().records();
        assertThat(r).as(WHY).containsExactly(new EntryRec(1, r.get(0).time(), EntryOp.RENAME, test, "MANIFEST.tmp",
                tmp, false, test, "MANIFEST", old, "/test/MANIFEST.tmp", "/test/MANIFEST", T));
    }

    @Test
    void truncateExistingAtOpenIsATruncateRecord() throws Exception {
        Files.write(fs.getPath("/test/t"), bytes(5000, 9));
        volume.events(log);
        Files.write(fs.getPath("/test/t"), bytes(10, 10));
        List<LogRecord> r = log.toCrashLog().records();
        assertThat(r.get(0)).as(WHY).isEqualTo(new TruncateRec(1, r.get(0).time(), ino("/test/t"), "/test/t", 5000,
                0, T));
        assertThat(((WriteRec) r.get(1)).sizeBefore()).isZero();
        assertThat(r.get(2)).isInstanceOf(CloseRec.class);
    }

    @Test
    void withoutAListenerNothingIsRecorded() throws Exception {
        Files.write(fs.getPath("/test/quiet"), bytes(100, 11));
        assertThat(volume.events()).isSameAs(PersistenceEvents.NONE);
        assertThat(log.size()).isZero();
        assertThat(log.changedFiles()).isFalse();
    }

    @Test
    void aLogOfOnlySyncsAndAcksChangedNoFile() throws Exception {
        volume.events(log);
        try (FileChannel dir = FileChannel.open(fs.getPath("/test"), StandardOpenOption.READ)) {
            dir.force(true);
        }
        log.acknowledge("nothing");
        assertThat(log.size()).isEqualTo(2);
        assertThat(log.changedFiles()).as(WHY).isFalse();
    }

    @Test
    void quarantineKeepsFreedBlocksOutOfTheNextFile() throws Exception {
        long[] reused = runsOfASecondFileAfterDeletingTheFirst(false);
        assertThat(reused[0]).as(WHY + ": without quarantine first fit reuses the freed block (the test can fail)")
                .isEqualTo(reused[1]);
        tearDown();
        setUp();
        long[] kept = runsOfASecondFileAfterDeletingTheFirst(true);
        assertThat(kept[0]).as(WHY + ": in quarantine the second file gets other blocks").isNotEqualTo(kept[1]);
    }

    private long[] runsOfASecondFileAfterDeletingTheFirst(boolean quarantine) throws Exception {
        volume.quarantine(quarantine);
        volume.events(log);
        Files.write(fs.getPath("/test/a"), bytes(4096, 12));
        Files.delete(fs.getPath("/test/a"));
        Files.write(fs.getPath("/test/b"), bytes(4096, 13));
        volume.events(PersistenceEvents.NONE);
        volume.quarantine(false);
        List<WriteRec> w = log.toCrashLog().records().stream().filter(WriteRec.class::isInstance)
                .map(WriteRec.class::cast).toList();
        return new long[] {w.get(0).deviceRuns()[0], w.get(1).deviceRuns()[0]};
    }

    @Test
    void quarantineGivesItsBlocksBackWhenTheDeviceIsFullAndSaysSo() throws Exception {
        long blocks = device.capacity() / 4096;
        byte[] half = new byte[(int) (blocks / 2 + 8) * 4096];
        volume.quarantine(true);
        volume.events(log);
        Files.write(fs.getPath("/test/big"), half);
        Files.delete(fs.getPath("/test/big"));
        assertThat(volume.allocator().heldBlocks()).as(WHY).isEqualTo(half.length / 4096);
        Files.write(fs.getPath("/test/big2"), half);
        volume.events(PersistenceEvents.NONE);
        List<LogRecord> r = log.toCrashLog().records();
        assertThat(r).as(WHY).anySatisfy(x -> assertThat(x).isInstanceOf(MarkRec.class)
                .extracting(m -> ((MarkRec) m).text()).isEqualTo("quarantine released"));
        assertThat(volume.allocator().heldBlocks()).isZero();
        assertThat(volume.allocator().quarantined()).as("quarantine stays on for later frees").isTrue();
    }

    @Test
    void theArenaRefusesBytesPastItsCapWithAClearMessage() {
        ByteArena arena = new ByteArena(ByteArena.PAGE);
        arena.put(ByteBuffer.wrap(new byte[ByteArena.PAGE - 1]));
        assertThatThrownBy(() -> arena.put(ByteBuffer.wrap(new byte[2])))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("crash log full: the workload wrote more than 1 MiB; explore a shorter workload");
        assertThat(arena.size()).isEqualTo(ByteArena.PAGE - 1);
        assertThatThrownBy(() -> new ByteArena(0)).hasMessage("cap must be > 0, was 0");
    }

    @Test
    void theArenaKeepsBytesAcrossPagesAndLeavesTheBufferAlone() {
        ByteArena arena = new ByteArena();
        byte[] a = bytes(ByteArena.PAGE - 3, 14);
        byte[] b = bytes(10, 15);
        ByteBuffer src = ByteBuffer.wrap(b);
        assertThat(arena.put(ByteBuffer.wrap(a))).isZero();
        assertThat(arena.put(src)).isEqualTo(a.length);
        assertThat(src.position()).isZero();
        byte[] back = new byte[10];
        arena.copy(a.length, 10, back, 0);
        assertThat(back).isEqualTo(b);
        assertThatThrownBy(() -> arena.copy(a.length, 11, back, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void volumeOfRefusesAnotherFileSystem() {
        assertThatThrownBy(() -> SimulatedFileSystemProvider.volumeOf(java.nio.file.FileSystems.getDefault()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a simulated filesystem: ");
    }
}
