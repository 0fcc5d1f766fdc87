package io.staleguard.device.oracle;

import io.staleguard.device.ViolationKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The versions of one logical block the oracle still needs: those in flight, the completed ones
 * not superseded, the last {@link #KEEP_SUPERSEDED} superseded ones (to name a stale read) and the
 * initial content. Guarded by its own monitor; never calls user code.
 *
 * <p>Order is by sequence number: a version's id is its submit sequence; its completion sequence
 * is marked by {@link #completed} when the write completes. Version B supersedes version A when B
 * was submitted after A completed; A is superseded at the earliest completion of such a B.
 *
 * <p>Everything is kept in a few flat arrays per block and no per-write object is referenced, so
 * a long soak neither chases pointers on the hot path nor keeps promoting garbage to the old
 * generation.
 */
final class BlockHistory {

    static final int KEEP_SUPERSEDED = 3;
    /** Slots a block starts with; a block with few writes in flight never needs more than twice this. */
    static final int INITIAL_SLOTS = 4;
    /** Evicted versions remembered by content hash only. */
    static final int GRAVE = 8;

    /** Result of {@link #admit}: the content is no version the read may return. */
    static final long NOT_ADMITTED = -1;

    private static final long NONE = Long.MAX_VALUE;

    private final int sectors;
    /** Per slot: the submitting thread's name (for reports). */
    private String[] threads = new String[INITIAL_SLOTS];
    /** Per slot: the sector fingerprints. */
    private int[] fps;
    /**
     * Per slot, {@link #M} longs: the version id (its submit sequence); its completion sequence,
     * IN_FLIGHT until marked; sticky, the sequence at which it was superseded, NONE while not
     * (known to be); its submit and completion instants; 1 if it failed.
     */
    private long[] meta = new long[INITIAL_SLOTS * M];
    private static final int M = 6;
    private static final int ID = 0;
    private static final int DONE = 1;
    private static final int SUP = 2;
    private static final int T_SUBMIT = 3;
    private static final int T_DONE = 4;
    private static final int FAILED = 5;
    private int count;
    /**
     * No slot holds a version newer than this: a landing of a newer write (the common case, ids grow with
     * submission) needs no scan of the slots, whose meta rows are mostly not in the cache.
     */
    private long maxId;
    /** The slot landed last, where its completion most likely looks first. */
    private int lastSlot;
    /** Initial content fingerprints; null while unknown (adopted on first read). */
    private int[] initialFps;
    /** The earliest completion on this block seen so far: initial content is superseded there. */
    private long initialSuperseded = NONE;
    /**
     * Versions evicted from the slots keep a 64-bit content hash here (a ring of {@link #GRAVE}
     * entries of hash, id, superseded-at; allocated on the first eviction), so that a page cache
     * serving a long-superseded page is still reported as stale rather than corrupt.
     */
    private long[] grave;
    private int buried;
    /** A read started before this sequence may have needed a version dropped from the graveyard. */
    private long lostAfter;

    BlockHistory(int sectors, int[] initialFps) {
        this.sectors = sectors;
        this.fps = new int[INITIAL_SLOTS * sectors];
        this.initialFps = initialFps;
    }

    /** Records that {@code w} landed on this block with sector fingerprints {@code f[from...]}. */
    synchronized void land(WriteRecord w, int[] f, int from) {
        int n = sectors;
        if (w.id <= maxId) {
            for (int i = 0; i < count; i++) {
                if (meta[i * M + ID] == w.id) {
                    System.arraycopy(f, from, fps, i * n, n);
                    return;
                }
            }
        }
        if (count == threads.length) {
            // Pruning only when full amortizes it over several landings; a block rewritten
            // forever settles at twice the initial capacity.
            prune();
            if (count == threads.length) {
                int cap = count * 2;
                threads = Arrays.copyOf(threads, cap);
                meta = Arrays.copyOf(meta, cap * M);
                fps = Arrays.copyOf(fps, cap * n);
            }
        }
        threads[count] = w.thread;
        int m = count * M;
        meta[m + ID] = w.id;
        meta[m + DONE] = WriteRecord.IN_FLIGHT;
        meta[m + SUP] = NONE;
        meta[m + T_SUBMIT] = w.submitTime;
        meta[m + T_DONE] = 0;
        meta[m + FAILED] = 0;
        System.arraycopy(f, from, fps, count * n, n);
        maxId = Math.max(maxId, w.id);
        lastSlot = count;
        count++;
    }

    /**
     * Records that version {@code id} completed (or failed) at sequence {@code seq}, instant
     * {@code time}, if it landed on this block.
     */
    synchronized void completed(long id, long seq, long time, boolean failed) {
        if (id > maxId) {
            return; // never landed here
        }
        int first = lastSlot < count ? lastSlot : 0; // pruning may have moved it
        for (int k = 0; k < count; k++) {
            int i = k == 0 ? first : k == first ? 0 : k;
            int m = i * M;
            if (meta[m + ID] == id) {
                meta[m + T_DONE] = time;
                meta[m + FAILED] = failed ? 1 : 0;
                meta[m + DONE] = seq;
                return;
            }
        }
    }

    /** Completion sequence of version {@code i}, or {@link WriteRecord#IN_FLIGHT}. */
    private long completion(int i) {
        return meta[i * M + DONE];
    }

    private long id(int i) {
        return meta[i * M + ID];
    }

    /** Versions retained, in full or by hash (initial content counts as one once known). */
    synchronized int retained() {
        return count + (initialFps == null ? 0 : 1) + Math.min(buried, GRAVE);
    }

    /**
     * Whether content {@code f} served by a read that started at sequence {@code start} is a
     * version the read may return: the hot path of every read, which allocates nothing. When it is
     * not, {@link #classify} says why.
     *
     * @return the id of the version seen (0 = initial content), or {@link #NOT_ADMITTED}
     */
    synchronized long admit(long start, int[] f) {
        return admitted(start, f);
    }

    /**
     * The verdict on content {@code f} of block {@code block} served by a read that started at
     * sequence {@code start}, with everything a report names copied out of this history.
     *
     * @param readStartTime the read's start instant for details, or -1 if unknown
     */
    synchronized ReadVerdict classify(long block, long start, int[] f, long readStartTime) {
        long seen = admitted(start, f);
        if (seen >= 0) {
            return new ReadVerdict.Admitted(seen); // a write landed the same bytes since admit() looked
        }
        int n = sectors;
        boolean initialAdmissible = initialSuperseded > start;
        // admitted() returned every admissible match, so each match left is a stale one.
        int stale = -1;
        for (int i = 0; i < count; i++) {
            if (equal(fps, i * n, f, n) && (stale < 0 || id(i) > id(stale))) {
                stale = i;
            }
        }
        boolean staleInitial = initialFps != null && equal(initialFps, 0, f, n);
        if (stale < 0 && !staleInitial) {
            int buriedStale = newestBuried(f);
            if (buriedStale >= 0) {
                return new ReadVerdict.Inadmissible(ViolationKind.STALE_READ, block, expected(start, initialAdmissible),
                        new ReadVerdict.Forgotten(grave[3 * buriedStale + 1]), readStartTime);
            }
        }
        if (stale >= 0 || staleInitial) {
            ReadVerdict.Version version = stale >= 0 ? write(stale) : initial();
            int by = completedAt(stale >= 0 ? supersededAt(stale) : initialSuperseded);
            return new ReadVerdict.Inadmissible(ViolationKind.STALE_READ, block, expected(start, initialAdmissible),
                    new ReadVerdict.Superseded(version, by < 0 ? null : write(by)), readStartTime);
        }
        ReadVerdict.Sectors owners = owners(f, start);
        if (owners.firstUnknown() == n && n > 1) {
            return new ReadVerdict.Inadmissible(ViolationKind.TORN_READ, block, expected(start, initialAdmissible), owners,
                    readStartTime);
        }
        if (lostAfter > start || initialFps == null) {
            return new ReadVerdict.Undecided();
        }
        return new ReadVerdict.Inadmissible(ViolationKind.CORRUPT_READ, block, expected(start, initialAdmissible), owners,
                readStartTime);
    }

    /** The admissible version {@code f} is, or {@link #NOT_ADMITTED}; adopts unknown initial content. */
    private long admitted(long start, int[] f) {
        int n = sectors;
        refreshInitialSuperseded();
        boolean initialAdmissible = initialSuperseded > start;
        boolean stale = false;
        for (int i = 0; i < count; i++) {
            if (equal(fps, i * n, f, n)) {
                if (admissible(i, start)) {
                    return id(i);
                }
                stale = true;
            }
        }
        boolean staleInitial = false;
        if (initialFps != null && equal(initialFps, 0, f, n)) {
            if (initialAdmissible) {
                return 0;
            }
            staleInitial = true;
        }
        boolean buriedStale = false;
        if (grave != null && !stale && !staleInitial) {
            long h = hash(f, 0, n);
            for (int e = 0; e < Math.min(buried, GRAVE); e++) {
                if (grave[3 * e] == h) {
                    if (grave[3 * e + 2] > start) {
                        return grave[3 * e + 1]; // superseded only after the read started
                    }
                    buriedStale = true;
                }
            }
        }
        if (initialFps == null && initialAdmissible && !stale && !buriedStale) {
            initialFps = Arrays.copyOf(f, n);
            return 0;
        }
        // A mix of sectors of versions that coexisted during the read is what a read racing a
        // multi-sector write may legitimately return.
        if (n == 1) {
            return NOT_ADMITTED;
        }
        long seen = -1;
        for (int s = 0; s < n; s++) {
            int who = sectorVersion(s, f[s], start, true);
            if (who == Integer.MIN_VALUE) {
                return NOT_ADMITTED;
            }
            if (seen < 0) {
                seen = who < 0 ? 0 : id(who);
            }
        }
        return Math.max(seen, 0);
    }

    /** The graveyard entry of the newest evicted version whose hash {@code f} has, or -1. */
    private int newestBuried(int[] f) {
        if (grave == null) {
            return -1;
        }
        long h = hash(f, 0, sectors);
        int newest = -1;
        for (int e = 0; e < Math.min(buried, GRAVE); e++) {
            if (grave[3 * e] == h && (newest < 0 || grave[3 * e + 1] > grave[3 * newest + 1])) {
                newest = e;
            }
        }
        return newest;
    }

    /** Each sector of {@code f} attributed to an admissible version, else to any, else unknown. */
    private ReadVerdict.Sectors owners(int[] f, long start) {
        long[] owners = new long[sectors];
        for (int s = 0; s < sectors; s++) {
            int who = sectorVersion(s, f[s], start, true);
            if (who == Integer.MIN_VALUE) {
                who = sectorVersion(s, f[s], start, false);
            }
            owners[s] = who == Integer.MIN_VALUE ? ReadVerdict.Sectors.UNKNOWN
                    : who == -1 ? ReadVerdict.Sectors.INITIAL : id(who);
        }
        return new ReadVerdict.Sectors(owners);
    }

    /** Version {@code i} as a report names it. */
    private ReadVerdict.Write write(int i) {
        int m = i * M;
        return new ReadVerdict.Write(meta[m + ID], meta[m + T_SUBMIT], meta[m + DONE] == WriteRecord.IN_FLIGHT,
                meta[m + FAILED] != 0, meta[m + T_DONE], threads[i]);
    }

    private ReadVerdict.Initial initial() {
        if (initialFps == null) {
            return new ReadVerdict.Initial(false);
        }
        for (int v : initialFps) {
            if (v != Fingerprints.ZERO_SECTOR) {
                return new ReadVerdict.Initial(false);
            }
        }
        return new ReadVerdict.Initial(true);
    }

    /** The versions a read started at {@code start} may return, in the order a report names them. */
    private List<ReadVerdict.Version> expected(long start, boolean initialAdmissible) {
        List<Integer> ok = new ArrayList<>(4);
        for (int i = 0; i < count; i++) {
            if (admissible(i, start)) {
                ok.add(i);
            }
        }
        // completed before the read first, the latest completion first; then those overlapping it
        ok.sort((a, b) -> Long.compare(completion(b) < start ? completion(b) : -1,
                completion(a) < start ? completion(a) : -1));
        List<ReadVerdict.Version> versions = new ArrayList<>(ok.size() + 1);
        for (int i : ok) {
            versions.add(write(i));
        }
        if (initialAdmissible) {
            versions.add(initial());
        }
        return versions;
    }

    private void refreshInitialSuperseded() {
        if (initialSuperseded != NONE) {
            return; // later completions have larger sequence numbers
        }
        for (int i = 0; i < count; i++) {
            long c = completion(i);
            if (c < initialSuperseded) {
                initialSuperseded = c;
            }
        }
    }

    /** Whether version {@code i} may be returned by a read started at {@code start}. */
    private boolean admissible(int i, long start) {
        long c = completion(i);
        if (c > start) {
            return true; // overlapped the read or still in flight; it landed, so it was submitted
        }
        return supersededAt(i) > start;
    }

    private long supersededAt(int i) {
        long s = meta[i * M + SUP];
        if (s != NONE) {
            return s;
        }
        long c = completion(i);
        if (c == WriteRecord.IN_FLIGHT) {
            return NONE;
        }
        long min = NONE;
        for (int j = 0; j < count; j++) {
            if (meta[j * M + ID] > c) {
                long cj = completion(j);
                if (cj < min) {
                    min = cj;
                }
            }
        }
        meta[i * M + SUP] = min;
        return min;
    }

    /** The slot of the version that completed at {@code seq}, or -1. */
    private int completedAt(long seq) {
        for (int i = 0; i < count; i++) {
            if (completion(i) == seq) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The slot of a version whose sector {@code s} equals {@code fp}: -1 for the initial
     * content, {@link Integer#MIN_VALUE} for none. With {@code admissibleOnly}, only versions a
     * read started at {@code start} may return; otherwise the most recent match.
     */
    private int sectorVersion(int s, int fp, long start, boolean admissibleOnly) {
        int n = sectors;
        int best = Integer.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            if (fps[i * n + s] == fp && (!admissibleOnly || admissible(i, start))) {
                if (best == Integer.MIN_VALUE || id(i) > id(best)) {
                    best = i;
                }
            }
        }
        if (best == Integer.MIN_VALUE && initialFps != null && initialFps[s] == fp
                && (!admissibleOnly || initialSuperseded > start)) {
            best = -1;
        }
        return best;
    }

    /** Forgets the oldest superseded versions beyond {@link #KEEP_SUPERSEDED}. */
    private void prune() {
        refreshInitialSuperseded();
        int supersededCount = 0;
        for (int i = 0; i < count; i++) {
            if (supersededAt(i) != NONE) {
                supersededCount++;
            }
        }
        while (supersededCount > KEEP_SUPERSEDED) {
            int oldest = -1;
            for (int i = 0; i < count; i++) {
                long s = meta[i * M + SUP];
                if (s != NONE && (oldest < 0 || s < meta[oldest * M + SUP])) {
                    oldest = i;
                }
            }
            bury(hash(fps, oldest * sectors, sectors), id(oldest), meta[oldest * M + SUP]);
            int last = count - 1;
            threads[oldest] = threads[last];
            System.arraycopy(meta, last * M, meta, oldest * M, M);
            System.arraycopy(fps, last * sectors, fps, oldest * sectors, sectors);
            threads[last] = null;
            count = last;
            supersededCount--;
        }
    }

    private void bury(long hash, long id, long supersededAt) {
        if (grave == null) {
            grave = new long[3 * GRAVE];
        }
        int e = buried % GRAVE;
        if (buried >= GRAVE) {
            lostAfter = Math.max(lostAfter, grave[3 * e + 2]);
        }
        grave[3 * e] = hash;
        grave[3 * e + 1] = id;
        grave[3 * e + 2] = supersededAt;
        buried++;
    }

    /** A 64-bit hash of a version's sector fingerprints. */
    private static long hash(int[] a, int from, int n) {
        long h = 0x9E3779B97F4A7C15L ^ n;
        for (int s = 0; s < n; s++) {
            h = (h ^ (a[from + s] & 0xFFFFFFFFL)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return h;
    }

    private static boolean equal(int[] a, int from, int[] b, int n) {
        for (int s = 0; s < n; s++) {
            if (a[from + s] != b[s]) {
                return false;
            }
        }
        return true;
    }
}
