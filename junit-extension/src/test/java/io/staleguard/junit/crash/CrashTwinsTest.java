package io.staleguard.junit.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.junit.Crash;
import io.staleguard.junit.Device;
import io.staleguard.junit.IoConsistencyError;
import io.staleguard.junit.StaleguardTest;
import io.staleguard.junit.kit.Kit;
import io.staleguard.junit.kit.crash.FramedWal;
import io.staleguard.junit.kit.crash.HeaderStore;
import io.staleguard.junit.kit.crash.ManifestSwap;
import io.staleguard.junit.kit.crash.SegmentLog;
import io.staleguard.junit.kit.crash.Translog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The buggy storage components caught through the extension with the right kind and explanation, and
 * their twins clean over the whole budget; each bug's reproduce line replays exactly its state.
 */
class CrashTwinsTest {

    private static final Pattern REPRODUCE = Pattern.compile(
            "NOTE: reproduce with: mvn test -Dtest=\\S+#test -Dstaleguard\\.seed=0x\\S+ "
                    + "-Dstaleguard\\.crashState=(\\d+)$");

    @TempDir
    Path reports;

    @StaleguardTest
    @Tag("staleguard-kit")
    static class SegmentLogWithoutDirectoryFsync {
        static boolean buggy = true;

        @Test
        void test(@Device Path dir, Crash crash) throws Exception {
            Path wal = Files.createDirectory(dir.resolve("wal"));
            Durable.fsync(dir);
            crash.explore(() -> new SegmentLog(wal, buggy).roll(2, 10, crash), state -> { });
            assertThat(crash.statesExplored()).isPositive().isLessThanOrEqualTo(200);
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class TranslogAckBeforeForce {
        static boolean buggy = true;

        @Test
        void test(@Device Path dir, Crash crash) throws Exception {
            Path file = Files.createFile(dir.resolve("translog.tlog"));
            Durable.fsync(dir);
            crash.explore(() -> new Translog(file, buggy).append(1, 8, crash),
                    state -> {
                        java.util.Set<String> present = Translog.read(file);
                        for (String op : state.acknowledged()) {
                            if (!present.contains(op)) {
                                throw new AssertionError("acknowledged " + op + " is missing after the crash");
                            }
                        }
                    });
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class ManifestSwapWithoutTempForce {
        static boolean buggy = true;

        @Test
        void test(@Device Path dir, Crash crash) throws Exception {
            new ManifestSwap(dir, true, true).replace("generation 1", new NoAcks());
            crash.explore(() -> new ManifestSwap(dir, !buggy, true).replace("generation 2", new NoAcks()),
                    state -> ManifestSwap.read(dir));
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class ManifestSwapWithoutDirectoryFsync {
        static boolean buggy = true;

        @Test
        void test(@Device Path dir, Crash crash) throws Exception {
            new ManifestSwap(dir, true, true).replace("generation 1", new NoAcks());
            crash.explore(() -> new ManifestSwap(dir, true, !buggy).replace("generation 2", crash),
                    state -> ManifestSwap.read(dir));
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class FramedWalStrictRecovery {
        static boolean buggy = true;

        @Test
        void test(@Device Path dir, Crash crash) throws Exception {
            Path file = Files.createFile(dir.resolve("wal.log"));
            Durable.fsync(dir);
            crash.explore(() -> new FramedWal(file, buggy).append(100, 10, crash), state -> {
                int good = new FramedWal(file, buggy).recover();
                int acked = FramedWal.acknowledged(state.acknowledged());
                if (good < acked) {
                    throw new AssertionError("acknowledged " + acked + " records, recovered " + good);
                }
            });
            explored = crash.statesExplored();
        }

        static int explored;
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class HeaderStoreStrictOpen {
        static boolean buggy = true;

        @Test
        void test(@Device Path dir, Crash crash) throws Exception {
            Path file = dir.resolve("data.db");
            crash.explore(() -> new HeaderStore(file, buggy).create(crash), state -> {
                int version = new HeaderStore(file, buggy).open();
                if (state.acknowledged().contains(HeaderStore.CREATED) && version != 1) {
                    throw new AssertionError("the store was acknowledged as created, but opens as version "
                            + version);
                }
            });
            // Its few distinct states are all explored: the plan ends before the budget.
            assertThat(crash.statesExplored()).isPositive().isLessThan(200);
        }
    }

    private IoConsistencyError failure(Class<?> sample, String... config) {
        EngineExecutionResults r = Kit.run(sample, reports, config);
        Kit.assertCounts(r, 0, 1, 0);
        Throwable t = Kit.failure(r, "test");
        assertThat(t).isInstanceOf(IoConsistencyError.class);
        return (IoConsistencyError) t;
    }

    /** The reproduce line's state, after checking its shape; replaying it finds the same violation in one state. */
    private void replays(Class<?> sample, IoConsistencyError e) {
        String[] lines = e.getMessage().split("\n");
        Matcher m = REPRODUCE.matcher(lines[lines.length - 1]);
        assertThat(m.matches()).as(lines[lines.length - 1]).isTrue();
        IoConsistencyError again = failure(sample, "staleguard.crashState", m.group(1));
        Violation first = e.violations().get(0);
        // A replay runs one state, so a recovery failure counts "1 of 1"; the state's explanation is the same.
        assertThat(again.violations()).anySatisfy(v -> {
            assertThat(v.kind()).isEqualTo(first.kind());
            assertThat(explanation(v)).isEqualTo(explanation(first));
        });
        if (first.kind() == ViolationKind.CRASH_RECOVERY) {
            assertThat(again.violations().get(0).detail()).startsWith("recovery threw in 1 of 1 crash states");
        }
    }

    private static String explanation(Violation v) {
        int i = v.detail().indexOf("first: ");
        return i < 0 ? v.detail() : v.detail().substring(i);
    }

    @Test
    void aNewSegmentForcedButItsDirectoryNeverFsyncedLosesTheSegment() {
        SegmentLogWithoutDirectoryFsync.buggy = true;
        IoConsistencyError e = failure(SegmentLogWithoutDirectoryFsync.class);
        assertThat(e.violations()).hasSize(1);
        Violation v = e.violations().get(0);
        assertThat(v.kind()).isEqualTo(ViolationKind.DURABILITY);
        assertThat(v.location().path()).isEqualTo("/test/wal/seg-2.log");
        assertThat(v.location().offset()).isZero();
        assertThat(v.detail()).contains("`/test/wal/seg-2.log` was created at t=", ", and its data forced at t=",
                "but its directory `/test/wal/` was never fsynced after the create.");
        assertThat(v.actual()).startsWith("crash state ").endsWith(": no such file");
        replays(SegmentLogWithoutDirectoryFsync.class, e);

        SegmentLogWithoutDirectoryFsync.buggy = false;
        Kit.assertCounts(Kit.run(SegmentLogWithoutDirectoryFsync.class, reports), 1, 0, 0);
    }

    @Test
    void anAcknowledgementBeforeTheBatchForceFailsRecovery() {
        TranslogAckBeforeForce.buggy = true;
        IoConsistencyError e = failure(TranslogAckBeforeForce.class);
        List<Violation> recovery = e.violations().stream().filter(v -> v.kind() == ViolationKind.CRASH_RECOVERY)
                .toList();
        assertThat(recovery).hasSize(1);
        Violation v = recovery.get(0);
        assertThat(v.actual()).contains("AssertionError", "op-");
        assertThat(v.detail()).contains("power lost just after acknowledge 'op-1'", "`/test/translog.tlog` [",
                "was written at t=", "but the file was never forced after it");
        // Located where the state differs from the run: the translog's first dropped or torn write.
        assertThat(v.location()).isNotNull();
        assertThat(v.location().path()).isEqualTo("/test/translog.tlog");
        replays(TranslogAckBeforeForce.class, e);

        TranslogAckBeforeForce.buggy = false;
        Kit.assertCounts(Kit.run(TranslogAckBeforeForce.class, reports), 1, 0, 0);
    }

    @Test
    void aTempFileRenamedWithoutAForceFailsRecoveryUnderPosixOnly() {
        ManifestSwapWithoutTempForce.buggy = true;
        IoConsistencyError e = failure(ManifestSwapWithoutTempForce.class);
        Violation v = e.violations().get(0);
        assertThat(v.kind()).isEqualTo(ViolationKind.CRASH_RECOVERY);
        assertThat(v.detail()).contains("written as `/test/MANIFEST.tmp` at t=", "renamed to `/test/MANIFEST` at t=",
                "without a force before the rename");
        replays(ManifestSwapWithoutTempForce.class, e);
        // ext4's auto_da_alloc forces the data of a file renamed over another before the rename commits.
        Kit.assertCounts(Kit.run(ManifestSwapWithoutTempForce.class, reports, "staleguard.crashModel",
                "EXT4_ORDERED"), 1, 0, 0);

        ManifestSwapWithoutTempForce.buggy = false;
        Kit.assertCounts(Kit.run(ManifestSwapWithoutTempForce.class, reports), 1, 0, 0);
    }

    @Test
    void aRenameWithoutTheDirectoryFsyncLosesTheAcknowledgedManifest() {
        ManifestSwapWithoutDirectoryFsync.buggy = true;
        IoConsistencyError e = failure(ManifestSwapWithoutDirectoryFsync.class);
        Violation v = e.violations().get(0);
        assertThat(v.kind()).isEqualTo(ViolationKind.DURABILITY);
        assertThat(v.location().path()).isEqualTo("/test/MANIFEST");
        assertThat(v.detail()).contains("`/test/MANIFEST` was renamed from `/test/MANIFEST.tmp` at t=",
                "but its directory `/test/` was never fsynced after the rename.");
        // The length prefix of both generations is equal; the CRC after it differs.
        assertThat(v.actual()).endsWith(": bytes from 4 differ");
        replays(ManifestSwapWithoutDirectoryFsync.class, e);

        ManifestSwapWithoutDirectoryFsync.buggy = false;
        Kit.assertCounts(Kit.run(ManifestSwapWithoutDirectoryFsync.class, reports), 1, 0, 0);
    }

    private static Violation recoveryFailure(IoConsistencyError e, String exception) {
        return e.violations().stream().filter(v -> v.kind() == ViolationKind.CRASH_RECOVERY
                && v.actual().startsWith(exception)).findFirst().orElseThrow(() -> new AssertionError(
                "no CRASH_RECOVERY with " + exception + " in " + e.getMessage()));
    }

    @Test
    void aRecoveryThatThrowsOnATornOrZeroFilledLastRecordIsCaught() {
        FramedWalStrictRecovery.buggy = true;
        IoConsistencyError e = failure(FramedWalStrictRecovery.class);
        assertThat(e.violations()).allMatch(v -> v.kind() == ViolationKind.CRASH_RECOVERY);
        Violation v = recoveryFailure(e, "CorruptRecordException");
        assertThat(v.detail()).startsWith("recovery threw in ").containsAnyOf("torn: write `/test/wal.log` [",
                "reads as zeros: its size reached the media before its data");
        replays(FramedWalStrictRecovery.class, e);
        // A size that persists without its data: the tail reads as zeros.
        IoConsistencyError zeros = failure(FramedWalStrictRecovery.class, "staleguard.crashModel", "NO_ORDERING");
        assertThat(zeros.violations()).anySatisfy(x -> assertThat(x.detail()).contains("`/test/wal.log` [",
                ") reads as zeros: its size reached the media before its data"));
        // ext4 data=ordered orders only fresh blocks: a record ending inside the last allocated block can tear.
        IoConsistencyError ext4 = failure(FramedWalStrictRecovery.class, "staleguard.crashModel", "EXT4_ORDERED");
        assertThat(recoveryFailure(ext4, "CorruptRecordException").detail()).containsAnyOf(
                "torn: write `/test/wal.log` [", "reads as zeros: its size reached the media before its data");

        FramedWalStrictRecovery.buggy = false;
        for (String model : new String[] {"POSIX", "EXT4_ORDERED", "NO_ORDERING"}) {
            Kit.assertCounts(Kit.run(FramedWalStrictRecovery.class, reports, "staleguard.crashModel", model), 1, 0, 0);
            assertThat(FramedWalStrictRecovery.explored).as(model).isEqualTo(200);
        }
    }

    @Test
    void aRecoveryThatFailsOnAnEmptyFileLeftBetweenCreateAndHeaderIsCaught() {
        HeaderStoreStrictOpen.buggy = true;
        IoConsistencyError e = failure(HeaderStoreStrictOpen.class);
        Violation v = recoveryFailure(e, "EOFException");
        assertThat(v.detail()).startsWith("recovery threw in ").contains("power lost just ",
                "dropped: write `/test/data.db` [0, +64) (t=",
                "missing: `/test/data.db` [0, +64) was written at t=", "but the file was never forced after it");
        assertThat(v.detail()).doesNotContain("dropped: create `/test/data.db`");
        replays(HeaderStoreStrictOpen.class, e);

        HeaderStoreStrictOpen.buggy = false;
        for (String model : new String[] {"POSIX", "EXT4_ORDERED", "NO_ORDERING"}) {
            Kit.assertCounts(Kit.run(HeaderStoreStrictOpen.class, reports, "staleguard.crashModel", model), 1, 0, 0);
        }
    }

    /** Directory fsync for setup done before {@code explore}. */
    private static final class Durable {
        static void fsync(Path dir) throws java.io.IOException {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir,
                    java.nio.file.StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
    }

    /** Acknowledgements of setup work, outside {@code explore}: none are recorded. */
    private static final class NoAcks implements Crash {
        @Override
        public void explore(Workload workload, Recovery recovery) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void acknowledge(String key) {
        }

        @Override
        public void acknowledge(Path file) {
        }

        @Override
        public void acknowledge(Path file, long offset, long length) {
        }

        @Override
        public int statesExplored() {
            return 0;
        }
    }
}
