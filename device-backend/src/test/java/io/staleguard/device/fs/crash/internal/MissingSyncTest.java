package io.staleguard.device.fs.crash.internal;

import static io.staleguard.device.fs.crash.internal.LogBuilder.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.FileLocation;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.fs.crash.CrashModel;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The buggy programs as hand-made logs, each caught with the right kind, location and explanation, and
 * their twins clean over the whole budget. Inodes: / 1, /test 2, /test/wal 3, base /test/MANIFEST 5.
 */
class MissingSyncTest {

    private static final String SEG = "/test/wal/seg-2.log";

    private static TreeImage base() {
        return TreeImage.empty().dir("/test", 2).dir("/test/wal", 3).file("/test/MANIFEST", 5, bytes(64, 'o'));
    }

    // Row 1: a new file forced but its directory never fsynced.

    private static CrashLog segmentLog(boolean buggy) {
        LogBuilder b = new LogBuilder().create(3, SEG, 10);
        if (!buggy) {
            b.fsyncDir(3, "/test/wal");
        }
        for (int r = 0; r < 10; r++) {
            b.write(10, SEG, r * 100L, bytes(100, r + 1));
        }
        return b.force(10, SEG, true).claim(SEG, 10).log();
    }

    @Test
    void aNewFileForcedButItsDirectoryNeverFsyncedLosesTheClaim() {
        Exploration x = new Exploration(segmentLog(true), base(), CrashModel.POSIX);
        List<Violation> found = x.durability();
        assertThat(found).as(x.seedLine()).hasSize(1);
        Violation v = found.get(0);
        assertThat(v.kind()).isEqualTo(ViolationKind.DURABILITY);
        assertThat(v.location()).isEqualTo(new FileLocation(SEG, 0));
        assertThat(v.detail()).contains("`/test/wal/seg-2.log` was created at t=")
                .contains(", and its data forced at t=")
                .contains("but its directory `/test/wal/` was never fsynced after the create.");
        assertThat(v.actual()).startsWith("crash state ").endsWith(": no such file");
        assertThat(v.expected()).startsWith("acknowledged at t=").contains("by main: /test/wal/seg-2.log [0, 1000)");
    }

    @Test
    void theSegmentLogThatFsyncsItsDirectoryIsClean() {
        Exploration x = new Exploration(segmentLog(false), base(), CrashModel.POSIX);
        assertThat(x.durability()).as(x.seedLine()).isEmpty();
        assertThat(x.plan.states()).hasSizeGreaterThan(10);
    }

    @Test
    void underTheJournaledModelsTheFilesForceCommitsItsCreate() {
        for (CrashModel m : new CrashModel[] {CrashModel.EXT4_ORDERED, CrashModel.NO_ORDERING}) {
            Exploration x = new Exploration(segmentLog(true), base(), m);
            assertThat(x.durability()).as(x.seedLine()).isEmpty();
        }
    }

    // Row 2: an acknowledgement given before the batch's fsync.

    private static CrashLog translog(boolean buggy) {
        LogBuilder b = new LogBuilder().create(2, "/test/translog.tlog", 11).fsyncDir(2, "/test");
        for (int i = 1; i <= 8; i++) {
            b.write(11, "/test/translog.tlog", (i - 1) * 100L, bytes(100, i));
            if (buggy) {
                b.ack("op-" + i);
            }
        }
        b.force(11, "/test/translog.tlog", false);
        if (!buggy) {
            for (int i = 1; i <= 8; i++) {
                b.ack("op-" + i);
            }
        }
        return b.log();
    }

    /** Every acknowledged op's 100 bytes are in the translog. */
    private static boolean recovers(Exploration x, StatePlan s, TreeImage img) {
        long ino = img.resolve("/test/translog.tlog");
        for (String key : x.acknowledged(s)) {
            int i = Integer.parseInt(key.substring(3));
            if (ino < 0 || !Arrays.equals(img.read(ino, (i - 1) * 100L, 100), bytes(100, i))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void anAcknowledgementBeforeTheBatchsFsyncFailsRecoveryFirstRightAfterTheFirstAck() {
        Exploration x = new Exploration(translog(true), base(), CrashModel.POSIX);
        int[] failing = {0};
        StatePlan first = x.firstFailing((s, img) -> recovers(x, s, img), failing);
        assertThat(first).as(x.seedLine()).isNotNull();
        assertThat(x.plan.setOf(first).minimal()).isEqualTo(first.choices());
        String detail = x.explain(first);
        assertThat(detail).contains("power lost just after acknowledge 'op-1'")
                .contains("`/test/translog.tlog` [0, +100) was written at t=")
                .contains("but the file was never forced after it.");
    }

    @Test
    void acknowledgingAfterTheForceRecoversInEveryState() {
        Exploration x = new Exploration(translog(false), base(), CrashModel.POSIX);
        int[] failing = {0};
        assertThat(x.firstFailing((s, img) -> recovers(x, s, img), failing)).as(x.seedLine()).isNull();
        assertThat(x.plan.states()).hasSizeGreaterThan(20);
    }

    // Rows 3 and 4: write a temp file and rename it over the old one.

    private static CrashLog manifestSwap(boolean forceTemp, boolean fsyncDir, boolean claim) {
        LogBuilder b = new LogBuilder().baseSize(5, 64).create(2, "/test/MANIFEST.tmp", 12)
                .write(12, "/test/MANIFEST.tmp", 0, bytes(64, 'n'));
        if (forceTemp) {
            b.force(12, "/test/MANIFEST.tmp", true);
        }
        b.rename(2, "/test/MANIFEST.tmp", 2, "/test/MANIFEST", 12, 5);
        if (fsyncDir) {
            b.fsyncDir(2, "/test");
        }
        if (claim) {
            b.claim("/test/MANIFEST", 12);
        }
        return b.log();
    }

    /** The manifest is whole: the old 64 bytes or the new 64 bytes. */
    private static boolean manifestWhole(TreeImage img) {
        long ino = img.resolve("/test/MANIFEST");
        byte[] got = ino < 0 ? new byte[0] : img.read(ino, 0, 1000);
        return Arrays.equals(got, bytes(64, 'o')) || Arrays.equals(got, bytes(64, 'n'));
    }

    @Test
    void aTempFileRenamedWithoutAForceBreaksTheManifest() {
        Exploration x = new Exploration(manifestSwap(false, true, false), base(), CrashModel.POSIX);
        int[] failing = {0};
        StatePlan first = x.firstFailing((s, img) -> manifestWhole(img), failing);
        assertThat(first).as(x.seedLine()).isNotNull();
        assertThat(x.explain(first)).contains("written as `/test/MANIFEST.tmp` at t=")
                .contains("renamed to `/test/MANIFEST` at t=")
                .contains("without a force before the rename");
    }

    @Test
    void ext4KeepsTheRenamedTempFilesDataAutoDaAlloc() {
        Exploration x = new Exploration(manifestSwap(false, true, false), base(), CrashModel.EXT4_ORDERED);
        int[] failing = {0};
        assertThat(x.firstFailing((s, img) -> manifestWhole(img), failing)).as(x.seedLine()).isNull();
    }

    @Test
    void forcingTheTempFileBeforeTheRenameKeepsTheManifestWhole() {
        Exploration x = new Exploration(manifestSwap(true, true, false), base(), CrashModel.POSIX);
        int[] failing = {0};
        assertThat(x.firstFailing((s, img) -> manifestWhole(img), failing)).as(x.seedLine()).isNull();
    }

    @Test
    void aRenameWithoutTheDirectoryFsyncLosesTheAcknowledgedManifest() {
        Exploration x = new Exploration(manifestSwap(true, false, true), base(), CrashModel.POSIX);
        List<Violation> found = x.durability();
        assertThat(found).as(x.seedLine()).hasSize(1);
        Violation v = found.get(0);
        assertThat(v.kind()).isEqualTo(ViolationKind.DURABILITY);
        assertThat(v.location().path()).isEqualTo("/test/MANIFEST");
        assertThat(v.detail()).contains("`/test/MANIFEST` was renamed from `/test/MANIFEST.tmp` at t=")
                .contains("but its directory `/test/` was never fsynced after the rename.");
        assertThat(v.actual()).endsWith("bytes from 0 differ");
    }

    @Test
    void theRenameFollowedByTheDirectoryFsyncKeepsTheAcknowledgedManifest() {
        Exploration x = new Exploration(manifestSwap(true, true, true), base(), CrashModel.POSIX);
        assertThat(x.durability()).as(x.seedLine()).isEmpty();
    }

    // The other rows of the table: a lost size, zeros under a persisted size, a write whose force failed.

    @Test
    void aSizeGrownUnderForceFalseIsDurableButATruncateNeedsForceTrue() {
        CrashLog log = new LogBuilder().baseSize(5, 64).truncate(5, "/test/MANIFEST", 10)
                .force(5, "/test/MANIFEST", false).log();
        VolatileSet set = new PosixRules().at(log, log.end(), 512);
        assertThat(set.items()).hasSize(1).first().isInstanceOf(VolatileItem.SizeItem.class);
        MissingSync ms = new MissingSync(set, set.minimal(), new CrashImageBuilder(base(), log, 512), 512);
        assertThat(ms.missing()).containsExactly(
                "`/test/MANIFEST` was truncated to 10 bytes at t=110, but no force(true) made its size durable.");
    }

    @Test
    void aPersistedSizeWithoutItsDataReadsAsZerosUnderNoOrdering() {
        CrashLog log = new LogBuilder().create(2, "/test/wal.log", 13).fsyncDir(2, "/test")
                .write(13, "/test/wal.log", 0, bytes(700, 'w')).force(5, "/test/MANIFEST", true).log();
        VolatileSet set = new NoOrderingRules().at(log, log.end(), 512);
        MissingSync ms = new MissingSync(set, set.minimal(), new CrashImageBuilder(base(), log, 512), 512);
        assertThat(ms.missing()).containsExactly("`/test/wal.log` [0, 700) reads as zeros: its size reached the "
                + "media before its data, and the file was never forced after the write at t=130.");
        assertThat(ms.fates()).contains("zeros: `/test/wal.log` [0, 700) read as zeros: its size 700 (t=130) "
                + "persisted without the write of t=130");
        TreeImage img = new CrashImageBuilder(base(), log, 512).build(set.resolve(set.minimal()));
        assertThat(img.read(13, 0, 700)).isEqualTo(new byte[700]);
    }

    @Test
    void aWriteWhoseForceFailedIsLostEvenAfterALaterForce() {
        CrashLog log = new LogBuilder().baseSize(5, 64).write(5, "/test/MANIFEST", 0, bytes(64, 'x'))
                .failedForce(5, "/test/MANIFEST").force(5, "/test/MANIFEST", true).log();
        VolatileSet set = new PosixRules().at(log, log.end(), 512);
        assertThat(set.items()).isEmpty();
        MissingSync ms = new MissingSync(set, set.minimal(), new CrashImageBuilder(base(), log, 512), 512);
        assertThat(ms.missing()).containsExactly("`/test/MANIFEST` [0, +64) was written at t=110; its force at "
                + "t=120 failed (Input/output error), the pages were marked clean and their data dropped, and the "
                + "force at t=130 succeeded with nothing to write back.");
        TreeImage img = new CrashImageBuilder(base(), log, 512).build(set.resolve(set.minimal()));
        assertThat(img.read(5, 0, 64)).isEqualTo(bytes(64, 'o'));
    }

    @Test
    void aDroppedWriteNamesTheLastForceBeforeIt() {
        CrashLog log = new LogBuilder().baseSize(5, 64).force(5, "/test/MANIFEST", true)
                .write(5, "/test/MANIFEST", 0, bytes(10, 'x')).log();
        VolatileSet set = new PosixRules().at(log, log.end(), 512);
        MissingSync ms = new MissingSync(set, set.minimal(), new CrashImageBuilder(base(), log, 512), 512);
        assertThat(ms.missing()).containsExactly("`/test/MANIFEST` [0, +10) was written at t=120, but the file was "
                + "never forced after it (last force at t=110).");
        assertThat(ms.fates()).containsExactly("kept 0, dropped 1, torn 0:",
                "dropped: write `/test/MANIFEST` [0, +10) (t=120)");
    }
}
