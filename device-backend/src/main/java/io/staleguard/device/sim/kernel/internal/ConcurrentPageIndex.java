package io.staleguard.device.sim.kernel.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The {@link PageIndex} of a page cache that real threads share.
 *
 * <p>An index of at most {@value PageIndex#DENSE_LIMIT} pages (a 256 MiB file of 4 KiB pages) is an array of
 * chunks of up to 1024 slots, each allocated when a page of it is first stored: a lookup is two
 * array loads with no boxing, and a walk over every page (the flusher's) reads at most that many
 * slots. A larger index is a hash map, so that memory and walks follow the pages cached, not the
 * size of the file.
 *
 * <p>{@link #get}, {@link #putIfAbsent} and {@link #remove} are atomic, so that threads may look
 * pages up and insert them without a lock around the whole index; what a slot holds is guarded by
 * whoever schedules the model (see {@link PageCache}).
 *
 * @param <T> what each slot holds
 */
final class ConcurrentPageIndex<T> implements PageIndex<T> {
    private static final int MAX_SHIFT = 10;

    private final long length;
    private final int shift;
    private final int mask;
    /** The chunks of a dense index, null for a sparse one. */
    private final AtomicReferenceArray<AtomicReferenceArray<T>> chunks;
    /** The slots of a sparse index, null for a dense one. */
    private final ConcurrentHashMap<Long, T> sparse;
    private final AtomicInteger size = new AtomicInteger();

    /** An index of {@code length} slots, all empty. */
    ConcurrentPageIndex(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, was " + length);
        }
        this.length = length;
        int sh = 0;
        while (sh < MAX_SHIFT && (1L << sh) < length) {
            sh++;
        }
        this.shift = sh;
        this.mask = (1 << sh) - 1;
        if (length <= DENSE_LIMIT) {
            this.chunks = new AtomicReferenceArray<>((int) ((length + mask) >>> sh));
            this.sparse = null;
        } else {
            this.chunks = null;
            this.sparse = new ConcurrentHashMap<>();
        }
    }

    /** Number of slots. */
    @Override
    public long length() {
        return length;
    }

    /** What slot {@code i} holds, or null. */
    @Override
    public T get(long i) {
        if (chunks == null) {
            return sparse.get(i);
        }
        AtomicReferenceArray<T> c = chunks.get((int) (i >>> shift));
        return c == null ? null : c.get((int) (i & mask));
    }

    /** Stores {@code v} in slot {@code i} if it is empty; returns what the slot held before (null if it stored). */
    @Override
    public T putIfAbsent(long i, T v) {
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException("page " + i + " outside [0, " + length + ")");
        }
        if (chunks == null) {
            T old = sparse.putIfAbsent(i, v);
            if (old == null) {
                size.incrementAndGet();
            }
            return old;
        }
        AtomicReferenceArray<T> c = chunk(i);
        int at = (int) (i & mask);
        while (true) {
            if (c.compareAndSet(at, null, v)) {
                size.incrementAndGet();
                return null;
            }
            T old = c.get(at);
            if (old != null) {
                return old;
            }
        }
    }

    /** Empties slot {@code i} if it holds {@code v}; returns whether it did. */
    @Override
    public boolean remove(long i, T v) {
        boolean removed;
        if (chunks == null) {
            removed = sparse.remove(i, v);
        } else {
            AtomicReferenceArray<T> c = chunks.get((int) (i >>> shift));
            removed = c != null && c.compareAndSet((int) (i & mask), v, null);
        }
        if (removed) {
            size.decrementAndGet();
        }
        return removed;
    }

    /** Empties slot {@code i}; returns what it held, or null. */
    @Override
    public T remove(long i) {
        T old;
        if (chunks == null) {
            old = sparse.remove(i);
        } else {
            AtomicReferenceArray<T> c = chunks.get((int) (i >>> shift));
            old = c == null ? null : c.getAndSet((int) (i & mask), null);
        }
        if (old != null) {
            size.decrementAndGet();
        }
        return old;
    }

    /** Number of occupied slots. */
    @Override
    public int size() {
        return size.get();
    }

    /** What the occupied slots hold now (in index order for a dense index). */
    @Override
    public List<T> values() {
        if (chunks == null) {
            return new ArrayList<>(sparse.values());
        }
        List<T> out = new ArrayList<>(size.get());
        for (int ci = 0; ci < chunks.length(); ci++) {
            AtomicReferenceArray<T> c = chunks.get(ci);
            if (c == null) {
                continue;
            }
            for (int j = 0; j <= mask; j++) {
                T v = c.get(j);
                if (v != null) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    /** Empties every slot. */
    @Override
    public void clear() {
        if (chunks == null) {
            for (Long k : sparse.keySet()) {
                remove(k);
            }
            return;
        }
        for (int ci = 0; ci < chunks.length(); ci++) {
            AtomicReferenceArray<T> c = chunks.get(ci);
            if (c == null) {
                continue;
            }
            for (int j = 0; j <= mask; j++) {
                if (c.get(j) != null && c.getAndSet(j, null) != null) {
                    size.decrementAndGet();
                }
            }
        }
    }

    private AtomicReferenceArray<T> chunk(long i) {
        int ci = (int) (i >>> shift);
        AtomicReferenceArray<T> c = chunks.get(ci);
        if (c == null) {
            chunks.compareAndSet(ci, null, new AtomicReferenceArray<>(mask + 1));
            c = chunks.get(ci);
        }
        return c;
    }
}
