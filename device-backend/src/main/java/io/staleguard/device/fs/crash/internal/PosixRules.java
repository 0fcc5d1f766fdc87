package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.crash.CrashModel;
import io.staleguard.device.fs.crash.internal.LogRecord.EntryRec;
import io.staleguard.device.fs.crash.internal.LogRecord.SyncRec;
import io.staleguard.device.fs.crash.internal.LogRecord.TruncateRec;
import io.staleguard.device.fs.crash.internal.LogRecord.WriteRec;
import io.staleguard.device.fs.crash.internal.VolatileItem.DataItem;
import io.staleguard.device.fs.crash.internal.VolatileItem.EntryItem;
import io.staleguard.device.fs.crash.internal.VolatileItem.SizeItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link CrashModel#POSIX}: a directory entry is durable after an fsync of its directory, data after a force of
 * its file, a size after {@code force(true)} or a {@code force(false)} that found it grown; everything else is
 * an independent item: each entry op, each write (dropped, kept or torn), each file's size.
 */
public final class PosixRules implements ModelRules {

    @Override
    public CrashModel model() {
        return CrashModel.POSIX;
    }

    @Override
    public VolatileSet at(CrashLog log, int point, int unit) {
        int n = point - 1;
        List<LogRecord> recs = log.records();
        Fate[] fates = new Fate[n];
        byte[] sync = FirstSync.of(log, point);
        boolean[] entryDurable = new boolean[n];
        Set<Long> dirsSyncedLater = new HashSet<>();
        for (int i = n - 1; i >= 0; i--) {
            LogRecord r = recs.get(i);
            if (r instanceof SyncRec s && s.isDir() && !s.failed()) {
                dirsSyncedLater.add(s.ino());
            } else if (r instanceof EntryRec e) {
                entryDurable[i] = dirsSyncedLater.contains(e.durableBy());
            }
        }
        List<VolatileItem> items = new ArrayList<>();
        Map<Long, SizeTrack> sizes = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            LogRecord r = recs.get(i);
            if (r instanceof EntryRec e) {
                if (entryDurable[i]) {
                    fates[i] = Fate.DURABLE;
                } else {
                    items.add(new EntryItem(e));
                }
            } else if (r instanceof WriteRec w) {
                switch (sync[i]) {
                    case FirstSync.SYNCED -> fates[i] = Fate.DURABLE;
                    case FirstSync.FAILED -> fates[i] = Fate.LOST;
                    default -> items.add(DataItem.of(w, unit));
                }
                if (w.grows()) {
                    sizes.computeIfAbsent(w.ino(), k -> new SizeTrack(w.sizeBefore())).change(w.seq(), w.sizeAfter());
                }
            } else if (r instanceof TruncateRec t) {
                sizes.computeIfAbsent(t.ino(), k -> new SizeTrack(t.sizeBefore())).change(t.seq(), t.newSize());
            } else if (r instanceof SyncRec s && !s.isDir() && !s.failed()) {
                SizeTrack st = sizes.get(s.ino());
                if (st != null && (s.metadata() || st.current >= st.durable)) {
                    for (long seq : st.volatileOps) {
                        if (recs.get((int) seq - 1) instanceof TruncateRec) {
                            fates[(int) seq - 1] = Fate.DURABLE;
                        }
                    }
                    st.durable = st.current;
                    st.volatileOps.clear();
                    st.volatileSizes.clear();
                }
            }
        }
        Map<Long, Long> baseSizes = new HashMap<>();
        sizes.forEach((ino, st) -> {
            if (st.volatileOps.isEmpty()) {
                baseSizes.put(ino, st.durable);
            } else {
                long[] opts = new long[st.volatileOps.size() + 1];
                opts[0] = st.durable;
                for (int k = 0; k < st.volatileSizes.size(); k++) {
                    opts[k + 1] = st.volatileSizes.get(k);
                }
                long[] ops = st.volatileOps.stream().mapToLong(Long::longValue).toArray();
                boolean[] truncate = new boolean[ops.length];
                for (int k = 0; k < ops.length; k++) {
                    truncate[k] = recs.get((int) ops[k] - 1) instanceof TruncateRec;
                }
                items.add(new SizeItem(ino, opts, ops, truncate));
            }
        });
        return new VolatileSet(log, point, model(), items, fates, baseSizes, this);
    }

    @Override
    public Resolution resolve(VolatileSet set, int[] choices) {
        Fate[] fates = set.baseFates();
        Map<Long, Long> sizes = new HashMap<>(set.baseSizes());
        for (int i = 0; i < choices.length; i++) {
            VolatileItem item = set.items().get(i);
            if (item instanceof DataItem d) {
                fates[(int) d.write().seq() - 1] = VolatileSet.dataFate(d, choices[i]);
            } else if (item instanceof EntryItem e) {
                fates[(int) e.entry().seq() - 1] = choices[i] == 0 ? Fate.DROPPED : Fate.KEPT;
            } else if (item instanceof SizeItem s) {
                sizes.put(s.ino(), s.sizes()[choices[i]]);
                for (int k = 0; k < s.ops().length; k++) {
                    // A truncate takes its fate from the size; a growing write's fate is its data item's.
                    if (s.truncate()[k]) {
                        fates[(int) s.ops()[k] - 1] = k < choices[i] ? Fate.KEPT : Fate.DROPPED;
                    }
                }
            }
        }
        return new Resolution(fates, sizes);
    }

    /** One file's size through the log: durable, current, and the volatile changes since it was durable. */
    private static final class SizeTrack {
        long durable;
        long current;
        final List<Long> volatileOps = new ArrayList<>();
        final List<Long> volatileSizes = new ArrayList<>();

        SizeTrack(long initial) {
            durable = initial;
            current = initial;
        }

        void change(long seq, long size) {
            current = size;
            volatileOps.add(seq);
            volatileSizes.add(size);
        }
    }
}
