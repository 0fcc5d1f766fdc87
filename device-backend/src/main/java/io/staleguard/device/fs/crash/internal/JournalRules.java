package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.crash.CrashModel;
import io.staleguard.device.fs.crash.internal.LogRecord.EntryOp;
import io.staleguard.device.fs.crash.internal.LogRecord.EntryRec;
import io.staleguard.device.fs.crash.internal.LogRecord.TruncateRec;
import io.staleguard.device.fs.crash.internal.LogRecord.WriteRec;
import io.staleguard.device.fs.crash.internal.VolatileItem.DataItem;
import io.staleguard.device.fs.crash.internal.VolatileItem.MetadataPrefixItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules shared by the journaled models: one journal, every successful sync of any file or directory commits
 * all metadata before it; the metadata after the last commit persists as a prefix. Metadata here is every entry
 * op, every truncate, and every write that grows or allocates. {@code orderedData} ties the data of a write that
 * maps fresh blocks to its metadata (ext4 {@code data=ordered} writes the data of newly allocated blocks before the
 * transaction that maps them commits); every other write's data is an independent item, tearing included. So under
 * ordered data an append that stays inside the file's last allocated block is not ordered: its size is journaled at
 * once (ext4's {@code ext4_da_write_end} updates the on-disk size when the write ends in a mapped block) while its
 * bytes wait for writeback, and a crash may keep the size with none or part of them: a zero-filled or torn tail.
 * Without {@code orderedData} every write's data is an independent item. {@code autoDaAlloc} keeps the source's
 * data of a rename that replaces a file.
 */
final class JournalRules {

    private final CrashModel model;
    private final boolean orderedData;
    private final boolean autoDaAlloc;

    JournalRules(CrashModel model, boolean orderedData, boolean autoDaAlloc) {
        this.model = model;
        this.orderedData = orderedData;
        this.autoDaAlloc = autoDaAlloc;
    }

    /** Whether {@code w}'s data is written before the commit of its metadata: ordered data, fresh blocks. */
    private boolean tied(WriteRec w) {
        return orderedData && w.allocating();
    }

    static boolean isMetadata(LogRecord r) {
        return r instanceof EntryRec || r instanceof TruncateRec
                || r instanceof WriteRec w && (w.grows() || w.allocating());
    }

    VolatileSet at(CrashLog log, int point, int unit, ModelRules owner) {
        int n = point - 1;
        List<LogRecord> recs = log.records();
        Fate[] fates = new Fate[n];
        byte[] sync = FirstSync.of(log, point);
        long commit = FirstSync.lastCommit(log, point);
        List<VolatileItem> items = new ArrayList<>();
        List<Long> prefix = new ArrayList<>();
        Map<Long, Long> sizes = new HashMap<>();
        for (int i = 0; i < n; i++) {
            LogRecord r = recs.get(i);
            boolean meta = isMetadata(r);
            boolean committed = r.seq() < commit;
            if (meta && committed) {
                sizeOf(r, sizes);
            } else if (meta) {
                prefix.add(r.seq());
            }
            if (r instanceof WriteRec w) {
                if (sync[i] == FirstSync.FAILED) {
                    fates[i] = Fate.LOST;
                } else if (sync[i] == FirstSync.SYNCED || meta && committed && tied(w)) {
                    fates[i] = Fate.DURABLE;
                } else if (!meta || !tied(w)) {
                    items.add(DataItem.of(w, unit));
                }
            } else if (meta && committed) {
                fates[i] = Fate.DURABLE;
            }
        }
        if (!prefix.isEmpty()) {
            items.add(new MetadataPrefixItem(prefix.stream().mapToLong(Long::longValue).toArray()));
        }
        if (autoDaAlloc) {
            // A committed rename over a file flushed its source's data first: those writes are no longer items.
            for (int i = 0; i < n; i++) {
                if (fates[i] == Fate.DURABLE && recs.get(i) instanceof EntryRec e && replaces(e)) {
                    for (int k = items.size() - 1; k >= 0; k--) {
                        if (items.get(k) instanceof DataItem d && d.write().ino() == e.ino()
                                && d.write().seq() < e.seq()) {
                            fates[(int) d.write().seq() - 1] = Fate.DURABLE;
                            items.remove(k);
                        }
                    }
                }
            }
        }
        return new VolatileSet(log, point, model, items, fates, sizes, owner);
    }

    private static boolean replaces(EntryRec e) {
        return e.op() == EntryOp.RENAME && e.replacedIno() != 0;
    }

    private static void sizeOf(LogRecord r, Map<Long, Long> sizes) {
        if (r instanceof WriteRec w) {
            sizes.put(w.ino(), w.sizeAfter());
        } else if (r instanceof TruncateRec t) {
            sizes.put(t.ino(), t.newSize());
        }
    }

    Resolution resolve(VolatileSet set, int[] choices) {
        CrashLog log = set.log();
        Fate[] fates = set.baseFates();
        Map<Long, Long> sizes = new HashMap<>(set.baseSizes());
        List<DataItem> data = new ArrayList<>();
        for (int i = 0; i < choices.length; i++) {
            VolatileItem item = set.items().get(i);
            if (item instanceof DataItem d) {
                fates[(int) d.write().seq() - 1] = VolatileSet.dataFate(d, choices[i]);
                data.add(d);
            } else if (item instanceof MetadataPrefixItem m) {
                for (int k = 0; k < m.ops().length; k++) {
                    LogRecord r = log.at(m.ops()[k]);
                    boolean kept = k < choices[i];
                    if (kept) {
                        sizeOf(r, sizes);
                    }
                    if (!(r instanceof WriteRec w) || tied(w)) {
                        fates[(int) r.seq() - 1] = kept ? Fate.KEPT : Fate.DROPPED;
                    }
                    if (kept && autoDaAlloc && r instanceof EntryRec e && replaces(e)) {
                        for (DataItem d : data) {
                            if (d.write().ino() == e.ino() && d.write().seq() < e.seq()) {
                                fates[(int) d.write().seq() - 1] = Fate.KEPT;
                            }
                        }
                    }
                }
            }
        }
        return new Resolution(fates, sizes);
    }
}
