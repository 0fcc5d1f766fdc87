package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.crash.CrashModel;
import io.staleguard.device.fs.crash.MissingPersistence;
import io.staleguard.device.fs.crash.VolatileOperation;
import io.staleguard.device.fs.crash.internal.LogRecord.ClaimRec;
import io.staleguard.device.fs.crash.internal.LogRecord.EntryOp;
import io.staleguard.device.fs.crash.internal.LogRecord.EntryRec;
import io.staleguard.device.fs.crash.internal.LogRecord.SyncRec;
import io.staleguard.device.fs.crash.internal.LogRecord.WriteRec;
import io.staleguard.device.fs.crash.internal.VolatileItem.DataItem;
import io.staleguard.device.fs.crash.internal.VolatileItem.EntryItem;
import io.staleguard.device.fs.crash.internal.VolatileItem.MetadataPrefixItem;
import io.staleguard.device.fs.crash.internal.VolatileItem.SizeItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one crash state lost and, for every lost item, the persistence operation that was missing: derived from the
 * model's rule for the item and a search of the log (plan §4.11). The words are {@link CrashText}'s.
 */
public final class MissingSync {

    private final VolatileSet set;
    private final Resolution res;
    private final int[] choices;
    private final CrashImageBuilder images;
    private final int unit;
    private final List<LogRecord> recs;

    public MissingSync(VolatileSet set, int[] choices, CrashImageBuilder images, int unit) {
        this.set = set;
        this.choices = choices.clone();
        this.res = set.resolve(choices);
        this.images = images;
        this.unit = unit;
        this.recs = set.log().records();
    }

    private boolean journal() {
        return set.model() != CrashModel.POSIX;
    }

    /** "kept 4, dropped 2, torn 1:" then one line per volatile operation that did not persist whole. */
    public List<String> fates() {
        Fates f = classify();
        List<String> lines = new ArrayList<>();
        lines.add(CrashText.fateCounts(f.kept, f.dropped, f.torn));
        for (VolatileOperation op : f.ops) {
            if (op.fate() != VolatileOperation.Fate.KEPT) {
                lines.add(op.text());
            }
        }
        return lines;
    }

    /** Every volatile operation of the state with its fate, in item order, lost writes last. */
    public List<VolatileOperation> operations() {
        return classify().ops;
    }

    /** The operations and the counts the detail prints (a size item counts each size step). */
    record Fates(List<VolatileOperation> ops, int kept, int dropped, int torn) {
    }

    Fates classify() {
        List<VolatileOperation> ops = new ArrayList<>();
        int kept = 0;
        int dropped = 0;
        int torn = 0;
        for (int i = 0; i < set.items().size(); i++) {
            VolatileItem it = set.items().get(i);
            if (it instanceof DataItem d) {
                Fate f = res.of(d.write().seq());
                WriteRec w = d.write();
                if (f.kind() == Fate.Kind.KEPT) {
                    kept++;
                    ops.add(write(VolatileOperation.Fate.KEPT, w, w.len(), CrashText.kept(w)));
                    continue;
                }
                long[] z = zeros(w, f);
                if (f.kind() == Fate.Kind.TORN) {
                    torn++;
                    int keptBytes = images.tornLength(w, f.keptUnits());
                    ops.add(write(VolatileOperation.Fate.TORN, w, keptBytes, CrashText.torn(w, keptBytes, unit)));
                } else {
                    dropped++;
                    ops.add(write(VolatileOperation.Fate.DROPPED, w, 0, z == null ? CrashText.dropped(w)
                            : CrashText.zeros(w.path(), z[0], z[1], z[2], sizeTime(w.ino()), w.time())));
                }
            } else if (it instanceof EntryItem e) {
                if (choices[i] == 1) {
                    kept++;
                    ops.add(of(VolatileOperation.Fate.KEPT, e.entry(), CrashText.kept(e.entry())));
                } else {
                    dropped++;
                    ops.add(of(VolatileOperation.Fate.DROPPED, e.entry(), CrashText.dropped(e.entry())));
                }
            } else if (it instanceof SizeItem s) {
                int last = s.options() - 1;
                kept += choices[i];
                dropped += last - choices[i];
                LogRecord lastOp = recs.get((int) s.ops()[last - 1] - 1);
                String path = pathOf(lastOp.seq());
                long size = s.sizes()[choices[i]];
                long live = s.sizes()[last];
                boolean whole = choices[i] == last;
                ops.add(new VolatileOperation(whole ? VolatileOperation.Fate.KEPT : VolatileOperation.Fate.DROPPED,
                        "size", path, "", size, live, 0, lastOp.time(), whole ? CrashText.sizeKept(path, live)
                        : CrashText.sizeFate(path, size, live)));
            } else if (it instanceof MetadataPrefixItem m) {
                kept += choices[i];
                for (int k = 0; k < m.ops().length; k++) {
                    LogRecord r = recs.get((int) m.ops()[k] - 1);
                    if (k < choices[i]) {
                        ops.add(of(VolatileOperation.Fate.KEPT, r, CrashText.kept(r)));
                    } else {
                        dropped++;
                        ops.add(of(VolatileOperation.Fate.DROPPED, r, CrashText.dropped(r)));
                    }
                }
            }
        }
        for (int i = 0; i < res.fates().length; i++) {
            if (res.fates()[i] == Fate.LOST) {
                WriteRec w = (WriteRec) recs.get(i);
                ops.add(write(VolatileOperation.Fate.LOST, w, 0, CrashText.lost(w)));
            }
        }
        return new Fates(List.copyOf(ops), kept, dropped, torn);
    }

    private static VolatileOperation write(VolatileOperation.Fate fate, WriteRec w, long keptBytes, String text) {
        return new VolatileOperation(fate, "write", w.path(), "", w.fileOff(), w.len(), keptBytes, w.time(), text);
    }

    /** The operation of {@code r} (an entry change, a truncate, or a write of a metadata prefix). */
    private static VolatileOperation of(VolatileOperation.Fate fate, LogRecord r, String text) {
        if (r instanceof WriteRec w) {
            return write(fate, w, fate == VolatileOperation.Fate.KEPT ? w.len() : 0, text);
        }
        if (r instanceof EntryRec e) {
            return new VolatileOperation(fate, e.op().words(), e.path(), e.op() == EntryOp.RENAME ? e.toPath() : "",
                    0, 0, 0, e.time(), text);
        }
        if (r instanceof LogRecord.TruncateRec t) {
            return new VolatileOperation(fate, "truncate", t.path(), "", t.newSize(), 0, 0, t.time(), text);
        }
        return new VolatileOperation(fate, "other", "", "", 0, 0, 0, r.time(), text);
    }

    /** For every lost item, in log order, the missing persistence operation. */
    public List<String> missing() {
        List<String> lines = new ArrayList<>();
        for (MissingPersistence m : missingOps()) {
            lines.add(m.text());
        }
        return lines;
    }

    /** For every lost item, in log order (sizes last), the missing persistence operation as data. */
    public List<MissingPersistence> missingOps() {
        List<MissingPersistence> out = new ArrayList<>();
        for (int i = 0; i < res.fates().length; i++) {
            missingOf(i).ifPresent(out::add);
        }
        for (int i = 0; i < set.items().size(); i++) {
            if (set.items().get(i) instanceof SizeItem s && choices[i] != s.options() - 1) {
                out.add(sizeMissing(s, choices[i]));
            }
        }
        return out;
    }

    /**
     * The first unmet requirement of {@code claim} in this state, in the order entry chain, data, size; empty when
     * the state keeps everything the claim needs.
     */
    public Optional<MissingPersistence> forClaim(ClaimRec claim) {
        for (int i = 0; i < claim.seq() - 1 && i < res.fates().length; i++) {
            if (recs.get(i) instanceof EntryRec e && lost(i) && onPath(e.resultPath(), claim.path())) {
                return missingOf(i);
            }
        }
        for (int i = 0; i < claim.seq() - 1 && i < res.fates().length; i++) {
            // A claimed directory holds the names it had: an entry op in it that did not persist.
            if (recs.get(i) instanceof EntryRec e && lost(i) && e.durableBy() == claim.ino()) {
                return missingOf(i);
            }
        }
        for (int i = 0; i < claim.seq() - 1 && i < res.fates().length; i++) {
            if (recs.get(i) instanceof WriteRec w && w.ino() == claim.ino() && lost(i)
                    && (claim.wholeFile() || w.fileOff() < claim.off() + claim.len() && claim.off() < w.end())) {
                return missingOf(i);
            }
        }
        for (int i = 0; i < set.items().size(); i++) {
            if (set.items().get(i) instanceof SizeItem s && s.ino() == claim.ino() && choices[i] != s.options() - 1) {
                return Optional.of(sizeMissing(s, choices[i]));
            }
        }
        return Optional.empty();
    }

    private static boolean onPath(String entryPath, String path) {
        return path.equals(entryPath) || path.startsWith(entryPath.endsWith("/") ? entryPath : entryPath + "/");
    }

    private boolean lost(int i) {
        Fate f = res.fates()[i];
        return f != null && (f.kind() == Fate.Kind.DROPPED || f.kind() == Fate.Kind.TORN || f.kind() == Fate.Kind.LOST);
    }

    private Optional<MissingPersistence> missingOf(int i) {
        if (!lost(i)) {
            return Optional.empty();
        }
        LogRecord r = recs.get(i);
        Fate f = res.fates()[i];
        if (r instanceof EntryRec e) {
            String text = CrashText.entryNotSynced(e, e.op().adds() ? forceAfter(e.ino(), e.seq()) : -1, journal());
            return Optional.of(new MissingPersistence(journal() ? MissingPersistence.Kind.JOURNAL_COMMIT
                    : MissingPersistence.Kind.DIRECTORY_FSYNC, CrashText.dirOf(e.resultPath()), e.resultPath(),
                    e.time(), text));
        }
        if (r instanceof WriteRec w) {
            if (f.kind() == Fate.Kind.LOST) {
                long failed = -1;
                long later = -1;
                for (int k = i + 1; k < res.fates().length; k++) {
                    if (recs.get(k) instanceof SyncRec s && !s.isDir() && s.ino() == w.ino()) {
                        if (failed < 0 && s.failed()) {
                            failed = s.time();
                        } else if (failed >= 0 && !s.failed()) {
                            later = s.time();
                            break;
                        }
                    }
                }
                return Optional.of(new MissingPersistence(MissingPersistence.Kind.REWRITE_AFTER_FAILED_FORCE,
                        w.path(), w.path(), w.time(), CrashText.lostWrite(w, failed, later)));
            }
            long[] z = zeros(w, f);
            if (z != null) {
                return Optional.of(new MissingPersistence(MissingPersistence.Kind.FORCE, w.path(), w.path(),
                        w.time(), CrashText.readsAsZeros(w.path(), z[0], z[1], w.time())));
            }
            EntryRec rename = renameAfter(w);
            if (rename != null) {
                return Optional.of(new MissingPersistence(MissingPersistence.Kind.FORCE_BEFORE_RENAME, w.path(),
                        rename.toPath(), w.time(), CrashText.writeRenamedUnforced(w, rename)));
            }
            return Optional.of(new MissingPersistence(MissingPersistence.Kind.FORCE, w.path(), w.path(), w.time(),
                    CrashText.writeNotForced(w, lastForceBefore(w.ino(), w.seq()))));
        }
        if (r instanceof LogRecord.TruncateRec t && journal()) {
            return Optional.of(new MissingPersistence(MissingPersistence.Kind.FORCE_METADATA, t.path(), t.path(),
                    t.time(), CrashText.sizeNotDurable(t.path(), t.newSize(), t.time(), false)));
        }
        return Optional.empty();
    }

    private MissingPersistence sizeMissing(SizeItem s, int choice) {
        int last = s.options() - 1;
        LogRecord op = recs.get((int) s.ops()[last - 1] - 1);
        String path = pathOf(op.seq());
        boolean grew = s.sizes()[last] > s.sizes()[choice];
        return new MissingPersistence(grew ? MissingPersistence.Kind.FORCE : MissingPersistence.Kind.FORCE_METADATA,
                path, path, op.time(), CrashText.sizeNotDurable(path, s.sizes()[last], op.time(), grew));
    }

    /** {@code [from, to, size]} of the bytes of a dropped part of a growing write that its persisted size covers. */
    private long[] zeros(WriteRec w, Fate f) {
        Long size = res.sizes().get(w.ino());
        if (!w.grows() || size == null || size <= w.sizeBefore()) {
            return null;
        }
        long start = w.fileOff() + (f.kind() == Fate.Kind.TORN ? images.tornLength(w, f.keptUnits()) : 0);
        long from = Math.max(start, w.sizeBefore());
        long to = Math.min(w.end(), size);
        return from < to ? new long[] {from, to, size} : null;
    }

    /** The time of the last size change of {@code ino} that left the size the state has, for the zeros line. */
    private long sizeTime(long ino) {
        Long size = res.sizes().get(ino);
        long t = -1;
        for (int i = 0; i < res.fates().length; i++) {
            LogRecord r = recs.get(i);
            if (r instanceof WriteRec w && w.ino() == ino && w.grows() && size != null && w.sizeAfter() == size
                    || r instanceof LogRecord.TruncateRec tr && tr.ino() == ino && size != null && tr.newSize() == size) {
                t = r.time();
            }
        }
        return t;
    }

    private String pathOf(long seq) {
        LogRecord r = recs.get((int) seq - 1);
        return r instanceof WriteRec w ? w.path() : ((LogRecord.TruncateRec) r).path();
    }

    private long forceAfter(long ino, long seq) {
        for (int k = (int) seq; k < res.fates().length; k++) {
            if (recs.get(k) instanceof SyncRec s && !s.isDir() && s.ino() == ino && !s.failed()) {
                return s.time();
            }
        }
        return -1;
    }

    private long lastForceBefore(long ino, long seq) {
        for (int k = (int) seq - 2; k >= 0; k--) {
            if (recs.get(k) instanceof SyncRec s && !s.isDir() && s.ino() == ino && !s.failed()) {
                return s.time();
            }
        }
        return -1;
    }

    private EntryRec renameAfter(WriteRec w) {
        EntryRec found = null;
        for (int k = (int) w.seq(); k < res.fates().length; k++) {
            if (recs.get(k) instanceof EntryRec e && e.op() == EntryOp.RENAME && e.ino() == w.ino()) {
                found = e;
            }
        }
        return found != null && !found.toPath().equals(w.path()) ? found : null;
    }
}
