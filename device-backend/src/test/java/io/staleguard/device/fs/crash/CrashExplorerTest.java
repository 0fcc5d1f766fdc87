package io.staleguard.device.fs.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.FileLocation;
import io.staleguard.device.Seeds;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The buggy storage components as small programs over a real {@link SimulatedFileSystem}, recorded by the
 * volume's persistence log and explored by {@link CrashExplorer}; each caught with the right kind and explanation,
 * and its twin clean over the whole budget. Seed {@link #SEED}; reproduce with
 * {@code mvn test -pl device-backend -Dtest=CrashExplorerTest}.
 */
class CrashExplorerTest {

    static final long SEED = 0xC4A5_E0E1L;

    private SimulatedDevice device;
    private SimulatedFileSystem fs;
    private Path test;

    @BeforeEach
    void open() throws IOException {
        device = SimulatedDevice.builder().capacity(16 << 20).blockSize(4096).seed(SEED).build();
        fs = SimulatedFileSystem.on(device);
        test = Files.createDirectory(fs.getPath("/test"));
    }

    @AfterEach
    void close() throws IOException {
        fs.close();
        device.close();
    }

    private static String why(CrashSettings s) {
        return "seed " + Seeds.hex(s.seed()) + ", model " + s.model()
                + "; reproduce with: mvn test -pl device-backend -Dtest=CrashExplorerTest";
    }

    private static byte[] filled(int n, int b) {
        byte[] out = new byte[n];
        Arrays.fill(out, (byte) b);
        return out;
    }

    private void fsyncDir(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private static void writeAll(FileChannel ch, byte[] data, long at) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
            ch.write(b, at + b.position());
        }
    }

    // The segment log rolls to a new segment: create, 10 records, force(true), acknowledge.

    private void segmentLog(CrashExplorer crash, boolean buggy) throws IOException {
        Path seg = test.resolve("wal").resolve("seg-2.log");
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            if (!buggy) {
                fsyncDir(seg.getParent());
            }
            for (int r = 0; r < 10; r++) {
                writeAll(ch, filled(100, r + 1), r * 100L);
            }
            ch.force(true);
        }
        crash.acknowledge(seg);
    }

    @Test
    void aSegmentWhoseDirectoryIsNeverFsyncedIsADurabilityViolation() throws IOException {
        Files.createDirectory(test.resolve("wal"));
        CrashSettings s = CrashSettings.defaults(SEED);
        CrashExplorer crash = CrashExplorer.start(fs, s);
        segmentLog(crash, true);
        CrashOutcome out = crash.explore(state -> { });
        assertThat(out.violations()).as(why(s)).hasSize(1);
        Violation v = out.violations().get(0);
        assertThat(v.kind()).isEqualTo(ViolationKind.DURABILITY);
        assertThat(v.location()).isEqualTo(new FileLocation("/test/wal/seg-2.log", 0));
        assertThat(v.detail()).contains("`/test/wal/seg-2.log` was created at t=")
                .contains(", and its data forced at t=")
                .contains("but its directory `/test/wal/` was never fsynced after the create.");
        assertThat(v.actual()).startsWith("crash state ").endsWith(": no such file");
        assertThat(device.violations().total()).isEqualTo(1);
    }

    @Test
    void theSegmentLogThatFsyncsItsDirectoryIsClean() throws IOException {
        Files.createDirectory(test.resolve("wal"));
        CrashSettings s = CrashSettings.defaults(SEED);
        CrashExplorer crash = CrashExplorer.start(fs, s);
        segmentLog(crash, false);
        CrashOutcome out = crash.explore(state -> { });
        assertThat(out.violations()).as(why(s)).isEmpty();
        assertThat(out.explored()).isEqualTo(out.planned()).isPositive();
        assertThat(device.violations().total()).isZero();
    }

    // The translog acknowledges ops before (bug) or after (twin) the batch's force(false).

    private static final String TLOG = "/test/translog.tlog";

    private void translog(CrashExplorer crash, boolean buggy) throws IOException {
        try (FileChannel ch = FileChannel.open(fs.getPath(TLOG), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            fsyncDir(test);
            for (int i = 1; i <= 8; i++) {
                writeAll(ch, filled(100, i), (i - 1) * 100L);
                if (buggy) {
                    crash.acknowledge("op-" + i);
                }
            }
            ch.force(false);
            if (!buggy) {
                for (int i = 1; i <= 8; i++) {
                    crash.acknowledge("op-" + i);
                }
            }
        }
    }

    private void recoverTranslog(CrashStateInfo state) throws IOException {
        if (state.acknowledged().isEmpty()) {
            return;
        }
        try (FileChannel ch = FileChannel.open(fs.getPath(TLOG), StandardOpenOption.READ)) {
            for (String key : state.acknowledged()) {
                int i = Integer.parseInt(key.substring(3));
                ByteBuffer b = ByteBuffer.allocate(100);
                ch.read(b, (i - 1) * 100L);
                if (!Arrays.equals(b.array(), filled(100, i))) {
                    throw new AssertionError("acknowledged " + key + " is missing");
                }
            }
        }
    }

    @Test
    void anAcknowledgementBeforeTheBatchsForceIsOneRecoveryFailure() throws IOException {
        CrashSettings s = CrashSettings.defaults(SEED);
        CrashExplorer crash = CrashExplorer.start(fs, s);
        translog(crash, true);
        CrashOutcome out = crash.explore(this::recoverTranslog);
        assertThat(out.violations()).as(why(s)).hasSize(1);
        Violation v = out.violations().get(0);
        assertThat(v.kind()).isEqualTo(ViolationKind.CRASH_RECOVERY);
        assertThat(v.actual()).contains("AssertionError").contains("op-");
        assertThat(v.detail()).contains("power lost just after acknowledge 'op-1'")
                .contains("`/test/translog.tlog` [")
                .contains("was written at t=")
                .contains("but the file was never forced after it");
    }

    @Test
    void theOutcomeCarriesTheFailingStatesExplanationAsData() throws IOException {
        CrashSettings s = CrashSettings.defaults(SEED);
        CrashExplorer crash = CrashExplorer.start(fs, s);
        translog(crash, true);
        CrashOutcome out = crash.explore(this::recoverTranslog);
        assertThat(out.violations()).as(why(s)).hasSize(1);
        Violation v = out.violations().get(0);
        CrashExplanation e = out.explanationOf(v).orElseThrow();
        assertThat(e.state()).isEqualTo(out.stateOf(v));
        // The detail is the explanation's text, then where the state first differs from the run.
        assertThat(v.detail()).contains(e.text()).endsWith("[in " + v.location() + "]");
        assertThat(v.location().path()).isEqualTo(TLOG);
        assertThat(e.point().placement()).isEqualTo(CrashPointInfo.Placement.AFTER);
        assertThat(e.point().operation()).isEqualTo("acknowledge 'op-1'");
        assertThat(e.dropped()).allSatisfy(op -> assertThat(op.path()).isEqualTo(TLOG))
                .anySatisfy(op -> assertThat(op.op()).isEqualTo("write"));
        assertThat(e.missing()).first().satisfies(m -> {
            assertThat(m.missing()).isEqualTo(MissingPersistence.Kind.FORCE);
            assertThat(m.path()).isEqualTo(TLOG);
            assertThat(m.text()).contains("but the file was never forced after it");
        });
        assertThat(v.timeline()).anySatisfy(t -> assertThat(t.type())
                .isEqualTo(io.staleguard.device.TimelineEvent.Type.CRASH));
    }

    @Test
    void aCleanOutcomeHasNoExplanations() throws IOException {
        CrashExplorer crash = CrashExplorer.start(fs, CrashSettings.defaults(SEED));
        translog(crash, false);
        CrashOutcome out = crash.explore(this::recoverTranslog);
        assertThat(out.violations()).isEmpty();
        assertThat(out.explanations()).isEmpty();
    }

    @Test
    void acknowledgingAfterTheForceIsClean() throws IOException {
        CrashSettings s = CrashSettings.defaults(SEED);
        CrashExplorer crash = CrashExplorer.start(fs, s);
        translog(crash, false);
        CrashOutcome out = crash.explore(this::recoverTranslog);
        assertThat(out.violations()).as(why(s)).isEmpty();
        assertThat(out.explored()).isEqualTo(out.planned()).isGreaterThan(10);
    }

    // The header store: create data.db and fsync /test/, then the 64-byte header and force(true).

    private static final String DB = "/test/data.db";

    private void headerStore() throws IOException {
        try (FileChannel ch = FileChannel.open(fs.getPath(DB), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            fsyncDir(test);
            writeAll(ch, filled(64, 'h'), 0);
            ch.force(true);
        }
    }

    private void recoverHeader(boolean buggy) throws IOException {
        Path db = fs.getPath(DB);
        if (!Files.exists(db)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(db, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (!buggy && ch.size() < 64) {
                ch.truncate(0);
                writeAll(ch, filled(64, 'h'), 0);
                return;
            }
            ByteBuffer h = ByteBuffer.allocate(64);
            ch.read(h, 0);
            h.flip();
            h.getLong(56);
            if (h.remaining() < 64) {
                throw new java.nio.BufferUnderflowException();
            }
        }
    }

    @Test
    void aRecoveryThatFailsOnAnEmptyFileBetweenCreateAndHeaderIsCaught() throws IOException {
        CrashSettings s = CrashSettings.defaults(SEED);
        CrashExplorer crash = CrashExplorer.start(fs, s);
        headerStore();
        CrashOutcome out = crash.explore(state -> recoverHeader(true));
        assertThat(out.violations()).as(why(s)).isNotEmpty()
                .allMatch(v -> v.kind() == ViolationKind.CRASH_RECOVERY);
        Violation v = out.violations().get(0);
        assertThat(v.actual()).matches("(BufferUnderflowException|IndexOutOfBoundsException|EOFException).*");
        assertThat(v.detail()).contains("dropped: write `/test/data.db` [0, +64)")
                .contains("was never forced after it");
    }

    @Test
    void aRecoveryThatRecreatesAShortHeaderIsClean() throws IOException {
        CrashSettings s = CrashSettings.defaults(SEED);
        CrashExplorer crash = CrashExplorer.start(fs, s);
        headerStore();
        CrashOutcome out = crash.explore(state -> recoverHeader(false));
        assertThat(out.violations()).as(why(s)).isEmpty();
    }

    // The manifest swap: write MANIFEST.tmp, (force it,) rename over MANIFEST, (fsync /test/).

    private static byte[] manifest(int generation) {
        byte[] body = filled(60, generation);
        CRC32C crc = new CRC32C();
        crc.update(body);
        return ByteBuffer.allocate(64).put(body).putInt((int) crc.getValue()).array();
    }

    private void baseManifest() throws IOException {
        Files.write(fs.getPath("/test/MANIFEST"), manifest(1));
        try (FileChannel ch = FileChannel.open(fs.getPath("/test/MANIFEST"), StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        fsyncDir(test);
    }

    private void manifestSwap(boolean forceTemp, boolean fsyncDirAfter) throws IOException {
        Path tmp = fs.getPath("/test/MANIFEST.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeAll(ch, manifest(2), 0);
            if (forceTemp) {
                ch.force(true);
            }
        }
        Files.move(tmp, fs.getPath("/test/MANIFEST"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        if (fsyncDirAfter) {
            fsyncDir(test);
        }
    }

    private void recoverManifest() throws IOException {
        byte[] m = Files.readAllBytes(fs.getPath("/test/MANIFEST"));
        if (m.length != 64) {
            throw new IllegalStateException("MANIFEST is " + m.length + " bytes, not 64");
        }
        CRC32C crc = new CRC32C();
        crc.update(m, 0, 60);
        if ((int) crc.getValue() != ByteBuffer.wrap(m).getInt(60)) {
            throw new IllegalStateException("MANIFEST crc mismatch");
        }
    }

    @Test
    void aTempFileRenamedWithoutAForceBreaksTheManifest() throws IOException {
        baseManifest();
        CrashSettings s = CrashSettings.defaults(SEED);
        CrashExplorer crash = CrashExplorer.start(fs, s);
        manifestSwap(false, true);
        CrashOutcome out = crash.explore(state -> recoverManifest());
        assertThat(out.violations()).as(why(s)).isNotEmpty()
                .allMatch(v -> v.kind() == ViolationKind.CRASH_RECOVERY);
        assertThat(out.violations()).anySatisfy(v -> assertThat(v.detail())
                .contains("written as `/test/MANIFEST.tmp` at t=")
                .contains("renamed to `/test/MANIFEST` at t=")
                .contains("without a force before the rename"));
    }

    @Test
    void underExt4OrderedAutoDaAllocSavesTheUnforcedRename() throws IOException {
        baseManifest();
        CrashSettings s = CrashSettings.defaults(SEED).withModel(CrashModel.EXT4_ORDERED);
        CrashExplorer crash = CrashExplorer.start(fs, s);
        manifestSwap(false, true);
        CrashOutcome out = crash.explore(state -> recoverManifest());
        assertThat(out.violations()).as(why(s)).isEmpty();
    }

    @Test
    void aForcedTempFileRenamedAndItsDirectoryFsyncedIsClean() throws IOException {
        baseManifest();
        CrashSettings s = CrashSettings.defaults(SEED);
        CrashExplorer crash = CrashExplorer.start(fs, s);
        manifestSwap(true, true);
        crash.acknowledge(fs.getPath("/test/MANIFEST"));
        CrashOutcome out = crash.explore(state -> recoverManifest());
        assertThat(out.violations()).as(why(s)).isEmpty();
        assertThat(out.explored()).isEqualTo(out.planned());
    }

    @Test
    void aRenameWhoseDirectoryIsNeverFsyncedLosesTheAcknowledgedManifest() throws IOException {
        baseManifest();
        CrashSettings s = CrashSettings.defaults(SEED);
        CrashExplorer crash = CrashExplorer.start(fs, s);
        manifestSwap(true, false);
        crash.acknowledge(fs.getPath("/test/MANIFEST"));
        CrashOutcome out = crash.explore(state -> recoverManifest());
        assertThat(out.violations()).as(why(s)).hasSize(1);
        Violation v = out.violations().get(0);
        assertThat(v.kind()).isEqualTo(ViolationKind.DURABILITY);
        assertThat(v.location().path()).isEqualTo("/test/MANIFEST");
        assertThat(v.detail()).contains("`/test/MANIFEST` was renamed from `/test/MANIFEST.tmp` at t=")
                .contains("but its directory `/test/` was never fsynced after the rename.");
        assertThat(v.actual()).contains("bytes from 0 differ");
    }

    // The engine around the programs.

    @Test
    void afterExploringTheFilesystemHoldsTheEndStateAndTheWorkloadsChannelsAreClosed() throws IOException {
        CrashExplorer crash = CrashExplorer.start(fs, CrashSettings.defaults(SEED));
        FileChannel open = FileChannel.open(fs.getPath("/test/left-open"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        writeAll(open, filled(5000, 7), 0);
        crash.explore(state -> assertThat(Files.size(fs.getPath("/test"))).isNotNegative());
        assertThat(Files.readAllBytes(fs.getPath("/test/left-open"))).isEqualTo(filled(5000, 7));
        assertThatThrownBy(() -> open.write(ByteBuffer.wrap(new byte[1]), 0))
                .isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void acknowledgementsAndPowerCyclesAreOnTheDevicesTimeline() throws IOException {
        CrashExplorer crash = CrashExplorer.start(fs, CrashSettings.defaults(SEED));
        translog(crash, false);
        crash.explore(state -> { });
        java.util.List<io.staleguard.device.TimelineEvent> events = device.operationLog().snapshot();
        assertThat(events).anyMatch(e -> e.type() == io.staleguard.device.TimelineEvent.Type.ACK
                && e.note().equals("acknowledge 'op-1'"));
        assertThat(events).anyMatch(e -> e.type() == io.staleguard.device.TimelineEvent.Type.CRASH);
    }

    // A log on a DSYNC channel: each record is durable when its write returns. A record written before through a
    // plain channel is not made durable by a later DSYNC write, which syncs its own range only.
    private CrashOutcome dsyncLog(boolean plainFirst) throws IOException {
        Path log = Files.createFile(test.resolve("dsync.log"));
        fsyncDir(test);
        CrashExplorer crash = CrashExplorer.start(fs, CrashSettings.defaults(SEED));
        if (plainFirst) {
            try (FileChannel plain = FileChannel.open(log, StandardOpenOption.WRITE)) {
                writeAll(plain, filled(100, 1), 0);
            }
        }
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.DSYNC)) {
            for (int r = plainFirst ? 1 : 0; r < 5; r++) {
                writeAll(ch, filled(100, r + 1), r * 100L);
                // The plain record is claimed with the first DSYNC one: a whole-file sync would have covered it.
                crash.acknowledge(log, plainFirst && r == 1 ? 0 : r * 100L, plainFirst && r == 1 ? 200 : 100);
            }
        }
        return crash.explore(state -> { });
    }

    @Test
    void aDsyncWriteIsDurableWhenItReturnsButMakesNoEarlierWriteDurable() throws IOException {
        CrashSettings s = CrashSettings.defaults(SEED);
        CrashOutcome clean = dsyncLog(false);
        assertThat(clean.violations()).as(why(s)).isEmpty();
        assertThat(clean.explored()).isPositive();
    }

    @Test
    void aPlainWriteBeforeADsyncWriteOfTheSameFileStaysVolatile() throws IOException {
        CrashOutcome out = dsyncLog(true);
        assertThat(out.violations()).as(why(CrashSettings.defaults(SEED))).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.DURABILITY);
            assertThat(v.location()).isEqualTo(new FileLocation("/test/dsync.log", 0));
            // The DSYNC write made the size durable (200), so the plain record's bytes read as zeros under it.
            assertThat(v.detail()).contains("`/test/dsync.log` [0, 100) reads as zeros: its size reached the media "
                    + "before its data, and the file was never forced after the write at t=");
        });
    }

    @Test
    void recoveryRunsWithoutTheDevicesDmaDelaysAndTheWorkloadWithThem() throws IOException {
        SimulatedDevice slow = SimulatedDevice.builder().capacity(16 << 20).blockSize(4096).seed(SEED)
                .dmaDelay(java.time.Duration.ofMillis(100), java.time.Duration.ofMillis(100)).build();
        try (SimulatedFileSystem slowFs = SimulatedFileSystem.on(slow)) {
            Path file = Files.write(slowFs.getPath("/data"), filled(100, 6));   // setup: durable in every state
            CrashExplorer crash = CrashExplorer.start(slowFs, CrashSettings.defaults(SEED).replaying(0));
            long t0 = System.nanoTime();
            Files.write(file, filled(100, 7));
            long workload = System.nanoTime() - t0;
            long[] fastestRead = {Long.MAX_VALUE};
            crash.explore(state -> {
                for (int i = 0; i < 10; i++) {
                    long r0 = System.nanoTime();
                    assertThat(Files.readAllBytes(file)).hasSize(100);
                    fastestRead[0] = Math.min(fastestRead[0], System.nanoTime() - r0);
                }
            });
            // With the delays, every read takes at least 100 ms; the workload's write paid its delay. The fastest of
            // ten reads, not their sum: a descheduled test thread on a loaded machine slows one read, never all ten.
            assertThat(workload).as("workload").isGreaterThanOrEqualTo(100_000_000L);
            assertThat(fastestRead[0]).as("the fastest read of the recovery").isLessThan(50_000_000L);
            long a0 = System.nanoTime();
            Files.readAllBytes(file);
            assertThat(System.nanoTime() - a0).as("after explore, delays are back").isGreaterThanOrEqualTo(100_000_000L);
        } finally {
            slow.close();
        }
    }

    // A claim of a directory: its entry chain and the names it held at the claim.
    private CrashOutcome directoryClaim(boolean fsyncsTheDirectory) throws IOException {
        Path dir = Files.createDirectory(test.resolve("d"));
        fsyncDir(test);
        CrashExplorer crash = CrashExplorer.start(fs, CrashSettings.defaults(SEED));
        try (FileChannel ch = FileChannel.open(dir.resolve("a"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            writeAll(ch, filled(10, 1), 0);
            ch.force(true);
        }
        if (fsyncsTheDirectory) {
            fsyncDir(dir);
        }
        crash.acknowledge(dir);
        return crash.explore(state -> { });
    }

    @Test
    void aDirectoryClaimHoldsItsNamesOnceTheDirectoryIsFsynced() throws IOException {
        assertThat(directoryClaim(true).violations()).as(why(CrashSettings.defaults(SEED))).isEmpty();
    }

    @Test
    void aDirectoryClaimWithoutTheDirectoryFsyncLosesTheNewName() throws IOException {
        CrashOutcome out = directoryClaim(false);
        assertThat(out.violations()).as(why(CrashSettings.defaults(SEED))).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.DURABILITY);
            assertThat(v.location().path()).isEqualTo("/test/d");
            assertThat(v.actual()).startsWith("crash state ").endsWith(": no entry 'a'");
            assertThat(v.detail()).contains("missing: `/test/d/a` was created at t=",
                    "but its directory `/test/d/` was never fsynced after the create.");
        });
    }

    @Test
    void badUseIsRefusedNamingTheProblem() throws IOException {
        CrashExplorer crash = CrashExplorer.start(fs, CrashSettings.defaults(SEED));
        assertThatThrownBy(() -> crash.acknowledge(fs.getPath("/test/missing")))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("Crash.acknowledge(/test/missing): no such file at t=");
        assertThatThrownBy(() -> crash.acknowledge(Path.of("/tmp")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a path of");
        assertThatThrownBy(() -> crash.explore(state -> { })).isInstanceOf(CrashUseException.class)
                .hasMessageContaining("the workload never touched the simulated filesystem")
                .extracting(t -> ((CrashUseException) t).problem())
                .isEqualTo(CrashUseException.Problem.NOTHING_RECORDED);
        assertThatThrownBy(() -> crash.explore(state -> { })).isInstanceOf(CrashUseException.class)
                .extracting(t -> ((CrashUseException) t).problem())
                .isEqualTo(CrashUseException.Problem.EXPLORED_TWICE);
    }
}
