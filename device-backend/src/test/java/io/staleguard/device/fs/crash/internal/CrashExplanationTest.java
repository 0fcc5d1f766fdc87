package io.staleguard.device.fs.crash.internal;

import static io.staleguard.device.fs.crash.internal.LogBuilder.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.Violation;
import io.staleguard.device.fs.crash.CrashExplanation;
import io.staleguard.device.fs.crash.CrashModel;
import io.staleguard.device.fs.crash.CrashPointInfo;
import io.staleguard.device.fs.crash.MissingPersistence;
import io.staleguard.device.fs.crash.VolatileOperation;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A state's explanation as data: the crash point, the kept, dropped and torn operations, and the missing
 * persistence operation of every lost item; its {@code text()} is the violation's detail, worded by
 * {@link CrashText}. Inodes: / 1, /test 2, /test/wal 3, base /test/MANIFEST 5.
 */
class CrashExplanationTest {

    private static final String SEG = "/test/wal/seg-2.log";

    private static TreeImage base() {
        return TreeImage.empty().dir("/test", 2).dir("/test/wal", 3).file("/test/MANIFEST", 5, bytes(64, 'o'));
    }

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

    private static DurabilityCheck check(Exploration x) {
        return new DurabilityCheck(x.planner, x.settings.atomicWrite());
    }

    @Test
    void aLostClaimIsExplainedByItsDroppedCreateAndTheMissingDirectoryFsync() {
        Exploration x = new Exploration(segmentLog(true), base(), CrashModel.POSIX);
        Map<Violation, Integer> stateOf = new IdentityHashMap<>();
        Map<Violation, CrashExplanation> why = new IdentityHashMap<>();
        List<Violation> found = check(x).run(x.log, x.plan, stateOf, why);
        assertThat(found).as(x.seedLine()).hasSize(1);
        Violation v = found.get(0);
        CrashExplanation e = why.get(v);
        assertThat(e).isNotNull();
        assertThat(e.state()).isEqualTo(stateOf.get(v));
        assertThat(e.model()).isEqualTo(CrashModel.POSIX);
        assertThat(v.detail()).contains(e.text());
        assertThat(e.text()).startsWith(e.point().text());

        CrashPointInfo p = e.point();
        assertThat(p.text()).startsWith("crash state " + e.state() + " (POSIX): power lost ");
        assertThat(p.index()).isBetween(0, x.plan.points().size() - 1);
        assertThat(x.plan.points().get(p.index()).point()).isEqualTo(p.position() + 1);
        assertThat(p.operation()).isNotEmpty();
        assertThat(p.text()).contains(p.operation()).contains("t=" + p.time());

        assertThat(e.dropped()).anySatisfy(op -> {
            assertThat(op.fate()).isEqualTo(VolatileOperation.Fate.DROPPED);
            assertThat(op.op()).isEqualTo("create");
            assertThat(op.path()).isEqualTo(SEG);
            assertThat(op.text()).startsWith("dropped: create `" + SEG + "` (t=" + op.time() + ")");
        });
        assertThat(e.torn()).isEmpty();
        MissingPersistence m = e.missing().get(0);
        assertThat(m.missing()).isEqualTo(MissingPersistence.Kind.DIRECTORY_FSYNC);
        assertThat(m.path()).isEqualTo("/test/wal/");
        assertThat(m.lostPath()).isEqualTo(SEG);
        assertThat(m.text()).contains("but its directory `/test/wal/` was never fsynced after the create.");
        assertThat(e.text()).contains("missing: " + m.text());
        assertThat(e.text()).contains("kept " + e.keptCount() + ", dropped " + e.droppedCount() + ", torn 0:");
        assertThat(e.kept()).allSatisfy(op -> assertThat(op.fate()).isEqualTo(VolatileOperation.Fate.KEPT));
    }

    @Test
    void theTwinThatFsyncsItsDirectoryHasNothingToExplain() {
        Exploration x = new Exploration(segmentLog(false), base(), CrashModel.POSIX);
        Map<Violation, CrashExplanation> why = new IdentityHashMap<>();
        assertThat(check(x).run(x.log, x.plan, new IdentityHashMap<>(), why)).as(x.seedLine()).isEmpty();
        assertThat(why).isEmpty();
    }

    @Test
    void aTornWriteKeepsItsLeadingUnitsAndIsListedAsTorn() {
        CrashLog log = new LogBuilder().baseSize(5, 64).force(5, "/test/MANIFEST", true)
                .write(5, "/test/MANIFEST", 0, bytes(2048, 't')).log();
        Exploration x = new Exploration(log, base(), CrashModel.POSIX);
        CrashExplanation torn = null;
        for (StatePlan s : x.plan.states()) {
            CrashExplanation e = check(x).explanation(x.plan, s, null);
            if (!e.torn().isEmpty()) {
                torn = e;
                break;
            }
        }
        assertThat(torn).as(x.seedLine() + ": some state tears the 2048-byte write at unit 512").isNotNull();
        VolatileOperation op = torn.torn().get(0);
        assertThat(op.fate()).isEqualTo(VolatileOperation.Fate.TORN);
        assertThat(op.op()).isEqualTo("write");
        assertThat(op.path()).isEqualTo("/test/MANIFEST");
        assertThat(op.offset()).isZero();
        assertThat(op.length()).isEqualTo(2048);
        assertThat(op.keptLength()).isIn(512L, 1024L, 1536L);
        assertThat(op.text()).isEqualTo("torn: write `/test/MANIFEST` [0, +2048) at t=" + op.time() + ", kept "
                + op.keptLength() + " of 2048 bytes (unit 512)");
        assertThat(torn.text()).contains("  " + op.text());
        assertThat(torn.missing()).extracting(MissingPersistence::missing).contains(MissingPersistence.Kind.FORCE);
    }

    @Test
    void aKeptWriteIsListedAsKeptInCrashTextsWordsButOnlyCountedInTheDetail() {
        CrashLog log = new LogBuilder().baseSize(5, 64).force(5, "/test/MANIFEST", true)
                .write(5, "/test/MANIFEST", 0, bytes(100, 'k')).log();
        Exploration x = new Exploration(log, base(), CrashModel.POSIX);
        CrashExplanation kept = null;
        for (StatePlan s : x.plan.states()) {
            CrashExplanation e = check(x).explanation(x.plan, s, null);
            if (e.kept().stream().anyMatch(op -> op.op().equals("write"))) {
                kept = e;
                break;
            }
        }
        assertThat(kept).as(x.seedLine()).isNotNull();
        VolatileOperation op = kept.kept().stream().filter(o -> o.op().equals("write")).findFirst().orElseThrow();
        assertThat(op.keptLength()).isEqualTo(100);
        assertThat(op.text()).isEqualTo("kept: write `/test/MANIFEST` [0, +100) (t=" + op.time() + ")");
        assertThat(kept.text()).doesNotContain("kept: write").contains("kept " + kept.keptCount() + ", dropped ");
    }

    @Test
    void aWriteWhoseForceFailedIsDroppedAsLostAndNeedsARewrite() {
        CrashLog log = new LogBuilder().baseSize(5, 64).write(5, "/test/MANIFEST", 0, bytes(64, 'x'))
                .failedForce(5, "/test/MANIFEST").force(5, "/test/MANIFEST", true).log();
        VolatileSet set = new PosixRules().at(log, log.end(), 512);
        MissingSync ms = new MissingSync(set, set.minimal(), new CrashImageBuilder(base(), log, 512), 512);
        assertThat(ms.operations()).singleElement().satisfies(op -> {
            assertThat(op.fate()).isEqualTo(VolatileOperation.Fate.LOST);
            assertThat(op.text()).startsWith("lost: write `/test/MANIFEST` [0, +64)");
        });
        assertThat(ms.missingOps()).singleElement().satisfies(m -> {
            assertThat(m.missing()).isEqualTo(MissingPersistence.Kind.REWRITE_AFTER_FAILED_FORCE);
            assertThat(m.path()).isEqualTo("/test/MANIFEST");
        });
    }

    @Test
    void aTruncateWithoutForceTrueMissesTheMetadataForce() {
        CrashLog log = new LogBuilder().baseSize(5, 64).truncate(5, "/test/MANIFEST", 10)
                .force(5, "/test/MANIFEST", false).log();
        VolatileSet set = new PosixRules().at(log, log.end(), 512);
        MissingSync ms = new MissingSync(set, set.minimal(), new CrashImageBuilder(base(), log, 512), 512);
        assertThat(ms.operations()).singleElement().satisfies(op -> {
            assertThat(op.op()).isEqualTo("size");
            assertThat(op.fate()).isEqualTo(VolatileOperation.Fate.DROPPED);
            assertThat(op.offset()).isEqualTo(64);
            assertThat(op.length()).isEqualTo(10);
        });
        assertThat(ms.missingOps()).singleElement().satisfies(m -> {
            assertThat(m.missing()).isEqualTo(MissingPersistence.Kind.FORCE_METADATA);
            assertThat(m.text()).isEqualTo(ms.missing().get(0));
        });
    }

    @Test
    void aTempFileRenamedUnforcedMissesTheForceBeforeTheRenameOnTheTempFile() {
        CrashLog log = new LogBuilder().baseSize(5, 64).create(2, "/test/MANIFEST.tmp", 12)
                .write(12, "/test/MANIFEST.tmp", 0, bytes(64, 'n'))
                .rename(2, "/test/MANIFEST.tmp", 2, "/test/MANIFEST", 12, 5).fsyncDir(2, "/test").log();
        Exploration x = new Exploration(log, base(), CrashModel.POSIX);
        boolean seen = false;
        for (StatePlan s : x.plan.states()) {
            for (MissingPersistence m : check(x).explanation(x.plan, s, null).missing()) {
                if (m.missing() == MissingPersistence.Kind.FORCE_BEFORE_RENAME) {
                    assertThat(m.path()).isEqualTo("/test/MANIFEST.tmp");
                    assertThat(m.lostPath()).isEqualTo("/test/MANIFEST");
                    assertThat(m.text()).contains("without a force before the rename.");
                    seen = true;
                }
            }
        }
        assertThat(seen).as(x.seedLine()).isTrue();
    }
}
