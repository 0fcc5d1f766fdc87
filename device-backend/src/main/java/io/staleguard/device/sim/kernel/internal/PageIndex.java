package io.staleguard.device.sim.kernel.internal;

import java.util.List;

/**
 * Slots indexed by page number: where a {@link PageCache} keeps its pages and {@link DaxEntries}
 * its mapping entries ({@code mapping->i_pages}). How lookups, inserts and removals are made
 * atomic is the scheduler's choice: {@link #singleThreaded} for the deterministic scheduler (and
 * for a table a monitor guards), {@link #concurrent} for a page cache that real threads share.
 *
 * @param <T> what each slot holds
 */
interface PageIndex<T> {

    /** The most slots an index keeps as an array; a larger one is a hash map. */
    int DENSE_LIMIT = 1 << 16;

    /** An index for one thread at a time. */
    static <T> PageIndex<T> singleThreaded(long length) {
        return new ArrayPageIndex<>(length);
    }

    /** An index whose {@link #get}, {@link #putIfAbsent} and {@link #remove} are atomic. */
    static <T> PageIndex<T> concurrent(long length) {
        return new ConcurrentPageIndex<>(length);
    }

    /** Number of slots. */
    long length();

    /** What slot {@code i} (in {@code [0, length())}) holds, or null. */
    T get(long i);

    /**
     * Stores {@code v} in slot {@code i} if it is empty; returns what the slot held before (null if it stored).
     *
     * @throws IndexOutOfBoundsException if {@code i} is not a slot
     */
    T putIfAbsent(long i, T v);

    /** Empties slot {@code i} if it holds {@code v}; returns whether it did. */
    boolean remove(long i, T v);

    /** Empties slot {@code i}; returns what it held, or null. */
    T remove(long i);

    /** Number of occupied slots. */
    int size();

    /** What the occupied slots hold now (in index order for an index kept as an array). */
    List<T> values();

    /** Empties every slot. */
    void clear();
}
