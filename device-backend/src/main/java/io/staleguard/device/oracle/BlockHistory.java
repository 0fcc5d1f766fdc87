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

    /** Result of {@link #classify}: a violation was found (see {@link Fingerprints#found}). */
    static final long VIOLATION = -2;
    /** Result of {@link #classify}: could not decide because a needed version was forgotten. */
    static final long UNDECIDED = -1;

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

    /** Records that {@code w} landed on this block with sector fingerprints {@code f}. */
    synchronized void land(WriteRecord w, int[] f) {
        int n = sectors;
        for (int i = 0; i < count; i++) {
            if (meta[i * M + ID] == w.id) {
                System.arraycopy(f, 0, fps, i * n, n);
                return;
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
        System.arraycopy(f, 0, fps, count * n, n);
        count++;
    }

    /**
     * Records that version {@code id} completed (or failed) at sequence {@code seq}, instant
     * {@code time}, if it landed on this block.
     */
    synchronized void completed(long id, long seq, long time, boolean failed) {
        for (int i = 0; i < count; i++) {
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

    /** "v12 (submitted t=3, completed t=9, thread writer-1)". */
    private String describe(int i) {
        int m = i * M;
        StringBuilder sb = new StringBuilder(64).append('v').append(meta[m + ID]).append(" (submitted t=")
                .append(meta[m + T_SUBMIT]);
        if (meta[m + DONE] == WriteRecord.IN_FLIGHT) {
            sb.append(", in flight");
        } else {
            sb.append(meta[m + FAILED] != 0 ? ", failed t=" : ", completed t=").append(meta[m + T_DONE]);
        }
        return sb.append(", thread ").append(threads[i]).append(')').toString();
    }

    private long id(int i) {
        return meta[i * M + ID];
    }

    /** Versions retained, in full or by hash (initial content counts as one once known). */
    synchronized int retained() {
        return count + (initialFps == null ? 0 : 1) + Math.min(buried, GRAVE);
    }

    /**
     * Classifies content {@code f} served by a read that started at sequence {@code start}.
     *
     * @param readStartTime the read's start instant for details, or -1 if unknown
     * @return the id of the version seen (0 = initial content) when admissible, else
     *         {@link #VIOLATION} (then {@code out.found} says what) or {@link #UNDECIDED}
     */
    synchronized long classify(long start, int[] f, long readStartTime, Fingerprints out) {
        int n = sectors;
        refreshInitialSuperseded();
        boolean initialAdmissible = initialSuperseded > start;
        int stale = -1;
        for (int i = 0; i < count; i++) {
            if (equal(fps, i * n, f, n)) {
                if (admissible(i, start)) {
                    return id(i);
                }
                if (stale < 0 || id(i) > id(stale)) {
                    stale = i;
                }
            }
        }
        boolean staleInitial = false;
        if (initialFps != null && equal(initialFps, 0, f, n)) {
            if (initialAdmissible) {
                return 0;
            }
            staleInitial = true;
        }
        int graveStale = -1;
        if (grave != null && stale < 0 && !staleInitial) {
            long h = hash(f, 0, n);
            for (int e = 0; e < Math.min(buried, GRAVE); e++) {
                if (grave[3 * e] == h) {
                    if (grave[3 * e + 2] > start) {
                        return grave[3 * e + 1]; // superseded only after the read started
                    }
                    if (graveStale < 0 || grave[3 * e + 1] > grave[3 * graveStale + 1]) {
                        graveStale = e;
                    }
                }
            }
        }
        if (initialFps == null && initialAdmissible && stale < 0 && graveStale < 0) {
            initialFps = Arrays.copyOf(f, n);
            return 0;
        }
        // A mix of sectors of versions that coexisted during the read is what a read racing a
        // multi-sector write may legitimately return.
        boolean allKnown = true;
        boolean allAdmissible = true;
        long seen = -1;
        for (int s = 0; s < n && (allKnown || allAdmissible); s++) {
            int who = sectorVersion(s, f[s], start, true);
            if (who == Integer.MIN_VALUE) {
                allAdmissible = false;
                if (sectorVersion(s, f[s], start, false) == Integer.MIN_VALUE) {
                    allKnown = false;
                }
            } else if (seen < 0) {
                seen = who < 0 ? 0 : id(who);
            }
        }
        if (allAdmissible && n > 1) {
            return Math.max(seen, 0);
        }
        if (graveStale >= 0 && stale < 0 && !staleInitial) {
            long id = grave[3 * graveStale + 1];
            out.found = new Finding(ViolationKind.STALE_READ, expected(start, initialAdmissible),
                    "v" + id + " (an older version; only its content hash is kept)",
                    "the block returned v" + id + ", superseded before the read started"
                            + (readStartTime >= 0 ? " (t=" + readStartTime + ")" : "")
                            + " and several times since; a read may only return the last write completed"
                            + " before it started or a write overlapping it");
            return VIOLATION;
        }
        if (stale >= 0 || staleInitial) {
            String actual = stale >= 0 ? describe(stale) : describeInitial();
            long sup = stale >= 0 ? supersededAt(stale) : initialSuperseded;
            int by = completedAt(sup);
            String detail = "the block returned " + (stale >= 0 ? "v" + id(stale) : "the initial content")
                    + ", superseded" + (by < 0 ? "" : " by v" + id(by) + " (completed t=" + meta[by * M + T_DONE] + ")")
                    + " before the read started" + (readStartTime >= 0 ? " (t=" + readStartTime + ")" : "")
                    + "; a read may only return the last write completed before it started or a write"
                    + " overlapping it";
            out.found = new Finding(ViolationKind.STALE_READ, expected(start, initialAdmissible), actual, detail);
            return VIOLATION;
        }
        if (allKnown && n > 1) {
            out.found = new Finding(ViolationKind.TORN_READ, expected(start, initialAdmissible),
                    sectorMap(f, start), "the block's 512-byte sectors come from versions that never coexisted"
                    + " during the read" + (readStartTime >= 0 ? " (started t=" + readStartTime + ")" : ""));
            return VIOLATION;
        }
        if (lostAfter > start || initialFps == null) {
            return UNDECIDED;
        }
        int firstBad = 0;
        while (firstBad < n && sectorVersion(firstBad, f[firstBad], start, false) != Integer.MIN_VALUE) {
            firstBad++;
        }
        out.found = new Finding(ViolationKind.CORRUPT_READ, expected(start, initialAdmissible),
                n > 1 ? "unknown content (" + sectorMap(f, start) + ")" : "unknown content",
                "sector " + firstBad + " of the block matches no version written to it"
                        + (readStartTime >= 0 ? " (read started t=" + readStartTime + ")" : ""));
        return VIOLATION;
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

    /** "sectors 0-3 v5, 4-7 v7" (? = unknown, v0 = initial content). */
    private String sectorMap(int[] f, long start) {
        StringBuilder sb = new StringBuilder("sectors ");
        int n = sectors;
        int runStart = 0;
        String runLabel = null;
        for (int s = 0; s <= n; s++) {
            String label = null;
            if (s < n) {
                int who = sectorVersion(s, f[s], start, true);
                if (who == Integer.MIN_VALUE) {
                    who = sectorVersion(s, f[s], start, false);
                }
                label = who == Integer.MIN_VALUE ? "?" : who == -1 ? "initial" : "v" + id(who);
            }
            if (s == n || !label.equals(runLabel)) {
                if (runLabel != null) {
                    if (runStart > 0) {
                        sb.append(", ");
                    }
                    sb.append(runStart);
                    if (s - 1 > runStart) {
                        sb.append('-').append(s - 1);
                    }
                    sb.append(' ').append(runLabel);
                }
                runStart = s;
                runLabel = label;
            }
        }
        return sb.toString();
    }

    /** The versions a read started at {@code start} may return, in words. */
    private String expected(long start, boolean initialAdmissible) {
        List<Integer> ok = new ArrayList<>(4);
        for (int i = 0; i < count; i++) {
            if (admissible(i, start)) {
                ok.add(i);
            }
        }
        // completed before the read first, the latest completion first; then those overlapping it
        ok.sort((a, b) -> Long.compare(completion(b) < start ? completion(b) : -1,
                completion(a) < start ? completion(a) : -1));
        List<String> words = new ArrayList<>(4);
        for (int i : ok) {
            words.add(describe(i));
        }
        if (initialAdmissible) {
            words.add(describeInitial());
        }
        if (words.isEmpty()) {
            return "a forgotten version";
        }
        if (words.size() > 4) {
            int more = words.size() - 4;
            words = new ArrayList<>(words.subList(0, 4));
            words.add("(" + more + " more)");
        }
        return String.join(" or ", words);
    }

    private String describeInitial() {
        if (initialFps == null) {
            return "the initial content";
        }
        for (int v : initialFps) {
            if (v != Fingerprints.ZERO_SECTOR) {
                return "the initial content";
            }
        }
        return "the initial content (zeros)";
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
