package io.staleguard.device.sim.kernel.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A sparse array indexed by page number: where a {@link PageCache} keeps its pages and
 * {@link DaxEntries} its mapping entries ({@code mapping->i_pages}). Chunks of
 * {@value #CHUNK} slots are allocated when a page of theirs is first stored, so a cache over a
 * large file costs memory only where it holds pages, and a lookup is two array loads with no
 * boxing. A small index is one chunk of its own length.
 *
 * <p>{@link #get}, {@link #putIfAbsent} and {@link #remove} are atomic, so that threads may look
 * pages up and insert them without a lock around the whole index; what a slot holds is guarded by
 * whoever schedules the model (see {@link PageCache}).
 *
 * @param <T> what each slot holds
 */
final class PageIndex<T> {

    private static final int MAX_SHIFT = 10;
    private static final int CHUNK = 1 << MAX_SHIFT;

    private final long length;
    private final int shift;
    private final int mask;
    private final AtomicReferenceArray<AtomicReferenceArray<T>> chunks;
    private final AtomicInteger size = new AtomicInteger();

    /** An index of {@code length} slots, all empty. */
    PageIndex(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, was " + length);
        }
        int sh = 0;
        while (sh < MAX_SHIFT && (1L << sh) < length) {
            sh++;
        }
        this.shift = sh;
        this.mask = (1 << sh) - 1;
        long n = (length + mask) >>> sh;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many pages for a page index: " + length);
        }
        this.length = length;
        this.chunks = new AtomicReferenceArray<>((int) n);
    }

    /** Number of slots. */
    long length() {
        return length;
    }

    /** What slot {@code i} holds, or null. */
    T get(long i) {
        AtomicReferenceArray<T> c = chunks.get((int) (i >>> shift));
        return c == null ? null : c.get((int) (i & mask));
    }

    /** Stores {@code v} in slot {@code i} if it is empty; returns what the slot held before (null if it stored). */
    T putIfAbsent(long i, T v) {
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
    boolean remove(long i, T v) {
        AtomicReferenceArray<T> c = chunks.get((int) (i >>> shift));
        if (c != null && c.compareAndSet((int) (i & mask), v, null)) {
            size.decrementAndGet();
            return true;
        }
        return false;
    }

    /** Empties slot {@code i}; returns what it held, or null. */
    T remove(long i) {
        AtomicReferenceArray<T> c = chunks.get((int) (i >>> shift));
        if (c == null) {
            return null;
        }
        T old = c.getAndSet((int) (i & mask), null);
        if (old != null) {
            size.decrementAndGet();
        }
        return old;
    }

    /** Number of occupied slots. */
    int size() {
        return size.get();
    }

    /** What the occupied slots hold now, in index order. */
    List<T> values() {
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
    void clear() {
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
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException("page " + i + " outside [0, " + length + ")");
        }
        int ci = (int) (i >>> shift);
        AtomicReferenceArray<T> c = chunks.get(ci);
        if (c == null) {
            chunks.compareAndSet(ci, null, new AtomicReferenceArray<>(mask + 1));
            c = chunks.get(ci);
        }
        return c;
    }
}
