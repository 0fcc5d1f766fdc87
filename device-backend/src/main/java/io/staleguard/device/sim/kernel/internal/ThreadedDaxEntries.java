package io.staleguard.device.sim.kernel.internal;

/**
 * The {@link DaxEntries} model scheduled by real threads: one monitor guards the table (the
 * {@code mapping->tree_lock}), and a thread that needs an entry someone else holds locked waits on
 * it, as Linux waits on the entry's lock bit. Every entry state change is the model's.
 */
final class ThreadedDaxEntries {

    private final DaxEntries entries;
    private long invalidationWaits;

    ThreadedDaxEntries(long pages) {
        this.entries = new DaxEntries(pages);
    }

    /** What page {@code page} is mapped to now ({@link DaxEntries#NONE} while a locked fault has not installed yet). */
    synchronized int target(long page) {
        return entries.target(page);
    }

    /** grab_mapping_entry: waits for the entry's lock, then locks it (created if absent). */
    synchronized DaxEntries.Entry lock(long page) {
        awaitUnlocked(page);
        return entries.lock(page);
    }

    /**
     * Installs what the fault's lookup found and unlocks ({@link DaxEntries#install}). With
     * {@code locked} null (the unlocked fault) the entry is grabbed here, waiting if it is locked.
     *
     * @param block the block the lookup found, or {@link DaxEntries#NONE} for a hole
     * @return what the page is mapped to now
     */
    synchronized int install(long page, DaxEntries.Entry locked, int block) {
        DaxEntries.Entry e = locked;
        if (e == null) {
            awaitUnlocked(page);
            e = entries.grab(page);
        }
        entries.install(e, block);
        notifyAll();
        return e.target;
    }

    /** Unlocks an entry whose fault failed before its install ({@link DaxEntries#abandon}). */
    synchronized void abandon(long page, DaxEntries.Entry locked) {
        entries.abandon(page, locked);
        notifyAll();
    }

    /**
     * The DAX side of invalidate_inode_pages2_range for one page: waits for a locked entry (a fault
     * in progress), then the model drops it.
     */
    synchronized void invalidate(long page) {
        if (!entries.has(page)) {
            return;
        }
        if (entries.isLocked(page)) {
            invalidationWaits++;
            awaitUnlocked(page);
        }
        entries.drop(page);
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

    /** Waits until the page's entry is not locked (monitor held). */
    private void awaitUnlocked(long page) {
        while (entries.isLocked(page)) {
            try {
                wait();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting on the DAX entry lock of page " + page, ex);
            }
        }
    }
}
