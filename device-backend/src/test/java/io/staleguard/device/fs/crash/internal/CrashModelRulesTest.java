package io.staleguard.device.fs.crash.internal;

import static io.staleguard.device.fs.crash.internal.LogBuilder.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.fs.crash.CrashModel;
import io.staleguard.device.fs.crash.internal.VolatileItem.DataItem;
import io.staleguard.device.fs.crash.internal.VolatileItem.EntryItem;
import io.staleguard.device.fs.crash.internal.VolatileItem.MetadataPrefixItem;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The three models' rules on hand-built logs, and tearing at the atomic write unit. */
class CrashModelRulesTest {

    private static final TreeImage BASE = TreeImage.empty().dir("/test", 2).file("/test/old", 5, bytes(4096, 'o'));

    private static CrashLog createForceNoDirSync() {
        return new LogBuilder().create(2, "/test/f", 10).write(10, "/test/f", 0, bytes(100, 1))
                .force(10, "/test/f", true).log();
    }

    private static Set<StateFingerprint> states(CrashLog log, VolatileSet set) {
        CrashImageBuilder images = new CrashImageBuilder(BASE, log, 512);
        Set<StateFingerprint> out = new HashSet<>();
        int[] v = set.minimal();
        do {
            out.add(StateFingerprint.of(images.build(set.resolve(v)), 0));
        } while (CrashStatePlanner.next(v, set));
        return out;
    }

    @Test
    void aCreatedAndForcedFileWithoutItsDirectoryFsyncHasTwoStatesUnderPosixOneUnderExt4() {
        CrashLog log = createForceNoDirSync();
        VolatileSet posix = new PosixRules().at(log, log.end(), 512);
        assertThat(posix.items()).singleElement().isInstanceOf(EntryItem.class);
        assertThat(states(log, posix)).hasSize(2);
        VolatileSet ext4 = new Ext4OrderedRules().at(log, log.end(), 512);
        assertThat(ext4.items()).isEmpty();
        assertThat(states(log, ext4)).hasSize(1);
        assertThat(new NoOrderingRules().at(log, log.end(), 512).items()).isEmpty();
    }

    @Test
    void underExt4ASizeNeverPersistsAheadOfItsDataUnderNoOrderingItDoes() {
        CrashLog log = new LogBuilder().baseSize(5, 4096).write(5, "/test/old", 4096, bytes(1000, 'a')).log();
        VolatileSet ext4 = new Ext4OrderedRules().at(log, log.end(), 512);
        assertThat(ext4.items()).singleElement().isInstanceOf(MetadataPrefixItem.class);
        CrashImageBuilder images = new CrashImageBuilder(BASE, log, 512);
        for (int k = 0; k < 2; k++) {
            TreeImage img = images.build(ext4.resolve(new int[] {k}));
            long size = img.size(5);
            assertThat(size).isIn(4096L, 5096L);
            if (size == 5096) {
                assertThat(img.read(5, 4096, 1000)).isEqualTo(bytes(1000, 'a'));
            }
        }
        VolatileSet none = new NoOrderingRules().at(log, log.end(), 512);
        assertThat(none.items()).hasSize(2);
        boolean zerosReached = false;
        int[] v = none.minimal();
        do {
            TreeImage img = images.build(none.resolve(v));
            zerosReached |= img.size(5) == 5096 && img.read(5, 4096, 1000)[999] == 0;
        } while (CrashStatePlanner.next(v, none));
        assertThat(zerosReached).isTrue();
    }

    /**
     * ext4 data=ordered orders only the data of fresh blocks before their commit; an append inside the file's last
     * allocated block has its size journaled at once and its bytes written back later, so a crash can keep the size
     * with none (zeros) or a part (torn) of the bytes.
     */
    @Test
    void underExt4AnAppendInsideTheLastAllocatedBlockCanLeaveAZeroFilledOrTornTail() {
        TreeImage base = TreeImage.empty().dir("/test", 2).file("/test/log", 7, bytes(1000, 'r'));
        CrashLog log = new LogBuilder().baseSize(7, 1000).write(7, "/test/log", 1000, bytes(1000, 'a'), false).log();
        VolatileSet ext4 = new Ext4OrderedRules().at(log, log.end(), 512);
        assertThat(ext4.items()).hasSize(2).anyMatch(i -> i instanceof DataItem)
                .anyMatch(i -> i instanceof MetadataPrefixItem);
        CrashImageBuilder images = new CrashImageBuilder(base, log, 512);
        boolean zeros = false;
        boolean torn = false;
        boolean whole = false;
        int[] v = ext4.minimal();
        do {
            TreeImage img = images.build(ext4.resolve(v));
            if (img.size(7) == 2000) {
                byte[] tail = img.read(7, 1000, 1000);
                zeros |= tail[0] == 0 && tail[999] == 0;
                torn |= tail[0] == 'a' && tail[999] == 0;
                whole |= tail[0] == 'a' && tail[999] == 'a';
            } else {
                assertThat(img.size(7)).isEqualTo(1000);
            }
        } while (CrashStatePlanner.next(v, ext4));
        assertThat(zeros).as("size kept, bytes dropped").isTrue();
        assertThat(torn).as("size kept, bytes torn").isTrue();
        assertThat(whole).isTrue();

        // The same append mapping a fresh block is ordered: its size never persists ahead of its bytes.
        CrashLog fresh = new LogBuilder().baseSize(7, 1000).write(7, "/test/log", 1000, bytes(1000, 'a'), true).log();
        VolatileSet ordered = new Ext4OrderedRules().at(fresh, fresh.end(), 512);
        assertThat(ordered.items()).singleElement().isInstanceOf(MetadataPrefixItem.class);
        CrashImageBuilder freshImages = new CrashImageBuilder(base, fresh, 512);
        for (int k = 0; k < 2; k++) {
            TreeImage img = freshImages.build(ordered.resolve(new int[] {k}));
            assertThat(img.read(7, 0, (int) img.size(7))).doesNotContain(0);
        }
    }

    /**
     * A DSYNC write syncs the range it wrote (Linux's generic_write_sync calls vfs_fsync_range on it): it is durable
     * when it returns, with the size it grew to, but an earlier buffered write of the same file is not.
     */
    @Test
    void aDsyncWritesOwnSyncMakesThatWriteDurableAndNoOtherWriteOfTheFile() {
        CrashLog log = new LogBuilder().baseSize(5, 4096).write(5, "/test/old", 0, bytes(100, 'b'))
                .write(5, "/test/old", 4096, bytes(100, 'd')).syncOfWrite(5, "/test/old", false).log();
        for (ModelRules rules : new ModelRules[] {new PosixRules(), new Ext4OrderedRules(), new NoOrderingRules()}) {
            VolatileSet set = rules.at(log, log.end(), 512);
            assertThat(set.items()).as(rules.model().toString()).singleElement()
                    .isInstanceOfSatisfying(DataItem.class, d -> assertThat(d.write().seq()).isEqualTo(1));
            assertThat(set.resolve(set.minimal()).of(2).kind()).isEqualTo(Fate.Kind.DURABLE);
        }
        // The same sync called by the program (force(false)) makes both durable.
        CrashLog forced = new LogBuilder().baseSize(5, 4096).write(5, "/test/old", 0, bytes(100, 'b'))
                .write(5, "/test/old", 4096, bytes(100, 'd')).force(5, "/test/old", false).log();
        assertThat(new PosixRules().at(forced, forced.end(), 512).items()).isEmpty();
    }

    @Test
    void aJournalCommitByAnyFileMakesEveryEarlierEntryDurableUnderExt4ButNotUnderPosix() {
        CrashLog log = new LogBuilder().create(2, "/test/a", 10).baseSize(5, 4096).force(5, "/test/old", true).log();
        assertThat(new Ext4OrderedRules().at(log, log.end(), 512).items()).isEmpty();
        assertThat(new PosixRules().at(log, log.end(), 512).items()).singleElement().isInstanceOf(EntryItem.class);
    }

    @Test
    void aRenameIsAtomicOldNameOrNewNeverNeitherNorBoth() {
        CrashLog log = new LogBuilder().create(2, "/test/n", 10).fsyncDir(2, "/test")
                .rename(2, "/test/n", 2, "/test/old", 10, 5).log();
        VolatileSet set = new PosixRules().at(log, log.end(), 512);
        CrashImageBuilder images = new CrashImageBuilder(BASE, log, 512);
        int[] v = set.minimal();
        do {
            TreeImage img = images.build(set.resolve(v));
            boolean oldName = img.resolve("/test/old") == 5 && img.resolve("/test/n") == 10;
            boolean newName = img.resolve("/test/old") == 10 && img.resolve("/test/n") == -1;
            assertThat(oldName ^ newName).as("choices %s", java.util.Arrays.toString(v)).isTrue();
        } while (CrashStatePlanner.next(v, set));
    }

    @Test
    void aForceFalseMakesAGrownSizeDurableUnderPosix() {
        CrashLog log = new LogBuilder().baseSize(5, 4096).write(5, "/test/old", 4096, bytes(100, 'g'))
                .force(5, "/test/old", false).log();
        assertThat(new PosixRules().at(log, log.end(), 512).items()).isEmpty();
    }

    @Test
    void aWriteOfFourUnitsHasTwoPlusThreeOptionsAndOneInsideAUnitCannotTear() {
        CrashLog log = new LogBuilder().baseSize(5, 4096).write(5, "/test/old", 0, bytes(2048, 't'))
                .write(5, "/test/old", 600, bytes(100, 's')).log();
        DataItem four = DataItem.of((LogRecord.WriteRec) log.at(1), 512);
        DataItem one = DataItem.of((LogRecord.WriteRec) log.at(2), 512);
        assertThat(four.options()).isEqualTo(5);
        assertThat(four.tornPrefixes()).containsExactly(1, 2, 3);
        assertThat(one.options()).isEqualTo(2);
        CrashImageBuilder images = new CrashImageBuilder(BASE, log, 512);
        assertThat(images.tornLength((LogRecord.WriteRec) log.at(1), 1)).isEqualTo(512);
        assertThat(DataItem.of((LogRecord.WriteRec) log.at(1), 1024).options()).isEqualTo(3);
        assertThat(DataItem.of(new LogBuilder().write(9, "/x", 0, bytes(512 * 20, 1)).log().records().stream()
                .map(LogRecord.WriteRec.class::cast).findFirst().orElseThrow(), 512).tornPrefixes())
                .containsExactly(1, 10, 19);
    }

    @Test
    void aTornWriteKeepsItsLeadingUnitsOnly() {
        CrashLog log = new LogBuilder().baseSize(5, 4096).write(5, "/test/old", 0, bytes(2048, 't')).log();
        VolatileSet set = new PosixRules().at(log, log.end(), 512);
        TreeImage img = new CrashImageBuilder(BASE, log, 512).build(set.resolve(new int[] {2 + 1}));
        assertThat(img.read(5, 0, 1024)).isEqualTo(bytes(1024, 't'));
        assertThat(img.read(5, 1024, 1024)).isEqualTo(bytes(1024, 'o'));
    }

    @Test
    void everyModelHasItsRules() {
        for (CrashModel m : CrashModel.values()) {
            assertThat(ModelRules.of(m).model()).isEqualTo(m);
        }
    }
}
