package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.crash.CrashModel;
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
        List<String> lines = new ArrayList<>();
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
                    continue;
                }
                long[] z = zeros(w, f);
                if (f.kind() == Fate.Kind.TORN) {
                    torn++;
                    lines.add(CrashText.torn(w, images.tornLength(w, f.keptUnits()), unit));
                } else {
                    dropped++;
                    lines.add(z == null ? CrashText.dropped(w)
                            : CrashText.zeros(w.path(), z[0], z[1], z[2], sizeTime(w.ino()), w.time()));
                }
            } else if (it instanceof EntryItem e) {
                if (choices[i] == 1) {
                    kept++;
                } else {
                    dropped++;
                    lines.add(CrashText.dropped(e.entry()));
                }
            } else if (it instanceof SizeItem s) {
                int last = s.options() - 1;
                kept += choices[i];
                dropped += last - choices[i];
                if (choices[i] != last) {
                    lines.add(CrashText.sizeFate(pathOf(s.ops()[last - 1]), s.sizes()[choices[i]], s.sizes()[last]));
                }
            } else if (it instanceof MetadataPrefixItem m) {
                kept += choices[i];
                for (int k = choices[i]; k < m.ops().length; k++) {
                    dropped++;
                    lines.add(CrashText.dropped(recs.get((int) m.ops()[k] - 1)));
                }
            }
        }
        for (int i = 0; i < res.fates().length; i++) {
            if (res.fates()[i] == Fate.LOST) {
                lines.add(CrashText.lost((WriteRec) recs.get(i)));
            }
        }
        lines.add(0, CrashText.fateCounts(kept, dropped, torn));
        return lines;
    }

    /** For every lost item, in log order, the missing persistence operation. */
    public List<String> missing() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < res.fates().length; i++) {
            missingOf(i).ifPresent(lines::add);
        }
        for (int i = 0; i < set.items().size(); i++) {
            if (set.items().get(i) instanceof SizeItem s && choices[i] != s.options() - 1) {
                lines.add(sizeText(s, choices[i]));
            }
        }
        return lines;
    }

    /**
     * The first unmet requirement of {@code claim} in this state, in the order entry chain, data, size; empty when
     * the state keeps everything the claim needs.
     */
    public Optional<String> forClaim(ClaimRec claim) {
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
                return Optional.of(sizeText(s, choices[i]));
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

    private Optional<String> missingOf(int i) {
        if (!lost(i)) {
            return Optional.empty();
        }
        LogRecord r = recs.get(i);
        Fate f = res.fates()[i];
        if (r instanceof EntryRec e) {
            return Optional.of(CrashText.entryNotSynced(e, e.op().adds() ? forceAfter(e.ino(), e.seq()) : -1, journal()));
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
                return Optional.of(CrashText.lostWrite(w, failed, later));
            }
            long[] z = zeros(w, f);
            if (z != null) {
                return Optional.of(CrashText.readsAsZeros(w.path(), z[0], z[1], w.time()));
            }
            EntryRec rename = renameAfter(w);
            if (rename != null) {
                return Optional.of(CrashText.writeRenamedUnforced(w, rename));
            }
            return Optional.of(CrashText.writeNotForced(w, lastForceBefore(w.ino(), w.seq())));
        }
        if (r instanceof LogRecord.TruncateRec t && journal()) {
            return Optional.of(CrashText.sizeNotDurable(t.path(), t.newSize(), t.time(), false));
        }
        return Optional.empty();
    }

    private String sizeText(SizeItem s, int choice) {
        int last = s.options() - 1;
        LogRecord op = recs.get((int) s.ops()[last - 1] - 1);
        return CrashText.sizeNotDurable(pathOf(op.seq()), s.sizes()[last], op.time(), s.sizes()[last] > s.sizes()[choice]);
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
