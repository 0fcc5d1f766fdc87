package io.staleguard.device.sim.kernel.internal;

import java.util.HashMap;

/**
 * The DAX mapping-entry cache (the radix tree of 001_*) under real threads: per page an entry for
 * the zero page (a hole) or the block, with the entry lock. User mappings are not modelled apart
 * from the entries: removing an entry also unmaps it, as {@code invalidate_inode_pages2_range}
 * followed by the unmap of the range does.
 *
 * <p>One monitor guards the table (the {@code mapping->tree_lock}); an entry lock is a flag that
 * waiters wait on under it, as Linux waits on the entry's lock bit.
 */
final class DaxMapping {

    /** No entry: the next load faults. */
    static final int NONE = 0;
    /** The zero page, installed for a hole. */
    static final int ZERO_PAGE = 1;
    /** The page's block on the media. */
    static final int BLOCK = 2;

    /** An entry; fields guarded by the table's monitor. */
    static final class Entry {
        private int target = NONE;
        private boolean locked;
    }

    private final HashMap<Long, Entry> entries = new HashMap<>();
    private long invalidationWaits;

    /** What page {@code page} is mapped to now (NONE while a locked fault has not installed yet). */
    synchronized int target(long page) {
        Entry e = entries.get(page);
        return e == null ? NONE : e.target;
    }

    /** grab_mapping_entry: waits for the entry's lock, creating an empty entry if there is none, and locks it. */
    synchronized Entry lock(long page) {
        Entry e = unlockedEntry(page, false);
        e.locked = true;
        return e;
    }

    /**
     * Installs what the fault's lookup found and unlocks: a block replaces anything (a zero page
     * mapped for a hole is unmapped); a hole maps the zero page only where there is no entry yet.
     * With {@code locked} null (the unlocked fault) the entry is grabbed here, waiting if it is locked.
     *
     * @return what the page is mapped to now
     */
    synchronized int install(long page, Entry locked, boolean block) {
        Entry e = locked != null ? locked : unlockedEntry(page, false);
        if (block) {
            e.target = BLOCK;
        } else if (e.target == NONE) {
            e.target = ZERO_PAGE;
        }
        e.locked = false;
        notifyAll();
        return e.target;
    }

    /** Unlocks an entry whose fault failed before its install; an entry never installed is dropped. */
    synchronized void abandon(long page, Entry locked) {
        locked.locked = false;
        if (locked.target == NONE) {
            entries.remove(page, locked);
        }
        notifyAll();
    }

    /**
     * The DAX side of invalidate_inode_pages2_range for one page: waits for a locked entry (a fault
     * in progress) and drops the entry, so the next load faults and looks the block up again.
     */
    synchronized void invalidate(long page) {
        Entry e = entries.get(page);
        if (e == null) {
            return;
        }
        if (e.locked) {
            invalidationWaits++;
            unlockedEntry(page, true);
        }
        entries.remove(page);
        notifyAll();
    }

    /** How many invalidations had to wait on an entry locked by a fault. */
    synchronized long invalidationWaits() {
        return invalidationWaits;
    }

    /** Entries now. */
    synchronized int size() {
        return entries.size();
    }

    /** Waits until the page's entry is unlocked; creates one unless {@code existingOnly}. Monitor held. */
    private Entry unlockedEntry(long page, boolean existingOnly) {
        Entry e;
        while ((e = entries.get(page)) != null && e.locked) {
            try {
                wait();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting on the DAX entry lock of page " + page, ex);
            }
        }
        if (e == null && !existingOnly) {
            e = new Entry();
            entries.put(page, e);
        }
        return e;
    }
}
