package io.staleguard.device.sim.kernel.internal;

import java.util.Arrays;

/**
 * Runs of blocks mapped to runs of other blocks, each with an owner: a file's blocks to the device's (its
 * {@code get_block} answers, as the filesystem gave them) or the device's blocks to the files that own them.
 * Immutable and sorted by key, so a lookup is a binary search that takes no lock and allocates nothing; a change
 * builds a new instance, published by whoever holds it.
 */
final class BlockRuns {

    static final BlockRuns EMPTY = new BlockRuns(new long[0], new long[0], new long[0], new Object[0]);

    private final long[] start;
    private final long[] count;
    private final long[] target;
    private final Object[] owner;

    private BlockRuns(long[] start, long[] count, long[] target, Object[] owner) {
        this.start = start;
        this.count = count;
        this.target = target;
        this.owner = owner;
    }

    /** Number of runs. */
    int size() {
        return start.length;
    }

    /** The run holding block {@code key}, or -1. */
    int find(long key) {
        int lo = 0;
        int hi = start.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (start[mid] > key) {
                hi = mid - 1;
            } else if (start[mid] + count[mid] <= key) {
                lo = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** The first block of the first run that starts after {@code key}, or {@link Long#MAX_VALUE}. */
    long nextStart(long key) {
        int at = insertionPoint(key + 1);
        return at < start.length ? start[at] : Long.MAX_VALUE;
    }

    /** The first block of run {@code i}. */
    long start(int i) {
        return start[i];
    }

    /** One past the last block of run {@code i}. */
    long end(int i) {
        return start[i] + count[i];
    }

    /** The block that block {@code key} of run {@code i} maps to. */
    long target(int i, long key) {
        return target[i] + key - start[i];
    }

    /** The owner of run {@code i}. */
    Object owner(int i) {
        return owner[i];
    }

    /**
     * These runs with blocks {@code [key, key + n)} mapped to {@code [to, to + n)} for {@code who}, merged with the
     * run before when they continue it.
     *
     * @throws IllegalStateException if a block of the range is mapped already
     */
    BlockRuns with(long key, long to, long n, Object who) {
        int at = insertionPoint(key);
        if ((at > 0 && end(at - 1) > key) || (at < start.length && start[at] < key + n)) {
            throw new IllegalStateException("blocks [" + key + ", +" + n + ") are mapped already");
        }
        if (at > 0 && end(at - 1) == key && owner[at - 1] == who && target[at - 1] + count[at - 1] == to) {
            long[] c = count.clone();
            c[at - 1] += n;
            return new BlockRuns(start, c, target, owner);
        }
        return new BlockRuns(insert(start, at, key), insert(count, at, n), insert(target, at, to),
                insert(owner, at, who));
    }

    /** These runs without the blocks of {@code [from, to)}, runs across its edges cut. */
    BlockRuns without(long from, long to) {
        if (from >= to) {
            return this;
        }
        int n = start.length;
        long[] s = new long[n + 1];
        long[] c = new long[n + 1];
        long[] t = new long[n + 1];
        Object[] o = new Object[n + 1];
        int k = 0;
        boolean changed = false;
        for (int i = 0; i < n; i++) {
            long a = start[i];
            long b = end(i);
            if (b <= from || a >= to) {
                s[k] = a;
                c[k] = count[i];
                t[k] = target[i];
                o[k++] = owner[i];
                continue;
            }
            changed = true;
            if (a < from) {
                s[k] = a;
                c[k] = from - a;
                t[k] = target[i];
                o[k++] = owner[i];
            }
            if (b > to) {
                s[k] = to;
                c[k] = b - to;
                t[k] = target[i] + to - a;
                o[k++] = owner[i];
            }
        }
        if (!changed) {
            return this;
        }
        return new BlockRuns(Arrays.copyOf(s, k), Arrays.copyOf(c, k), Arrays.copyOf(t, k), Arrays.copyOf(o, k));
    }

    private int insertionPoint(long key) {
        int lo = 0;
        int hi = start.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (start[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static long[] insert(long[] a, int at, long v) {
        long[] r = new long[a.length + 1];
        System.arraycopy(a, 0, r, 0, at);
        r[at] = v;
        System.arraycopy(a, at, r, at + 1, a.length - at);
        return r;
    }

    private static Object[] insert(Object[] a, int at, Object v) {
        Object[] r = new Object[a.length + 1];
        System.arraycopy(a, 0, r, 0, at);
        r[at] = v;
        System.arraycopy(a, at, r, at + 1, a.length - at);
        return r;
    }
}
