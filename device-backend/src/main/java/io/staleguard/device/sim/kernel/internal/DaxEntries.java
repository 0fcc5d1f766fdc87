package io.staleguard.device.sim.kernel.internal;

/**
 * The DAX mapping-entry cache of one file (the radix tree of the 2017 DAX fault discussion between
 * Jan Kara and Ross Zwisler): the one place where DAX entry state lives and changes. Per page an
 * entry maps the zero page (a hole) or a block, and carries the entry lock that
 * {@code grab_mapping_entry} takes.
 *
 * <p>As with {@link PageCache}, scheduling is the caller's: a step never waits. The caller runs
 * {@link #lock}, {@link #grab} and {@link #drop} only when the entry is not locked by someone else,
 * and makes each step atomic: {@link DaxWorld} under the deterministic scheduler by
 * {@link Op#ready}, {@link ThreadedDax} under real threads by a monitor it waits on.
 */
public final class DaxEntries {

    /** No entry: the next load faults. Also what a fault's block lookup returns for a hole. */
    public static final int NONE = -1;
    /** The zero page, installed for a hole. */
    public static final int ZERO_PAGE = -2;

    /** An entry: the zero page, a block (its number, {@code >= 0}) or {@link #NONE} until a fault installs it. */
    static final class Entry {
        int target = NONE;
        boolean locked;
    }

    private final PageIndex<Entry> entries;

    /** An empty cache for a file of {@code pages} pages. */
    public DaxEntries(long pages) {
        this.entries = PageIndex.singleThreaded(pages);
    }

    /** What page {@code page} is mapped to now: a block, {@link #ZERO_PAGE} or {@link #NONE}. */
    public int target(long page) {
        Entry e = entries.get(page);
        return e == null ? NONE : e.target;
    }

    /** Whether the page's entry is locked (by a fault between its lock and its install). */
    public boolean isLocked(long page) {
        Entry e = entries.get(page);
        return e != null && e.locked;
    }

    /** Whether the page has an entry. */
    public boolean has(long page) {
        return entries.get(page) != null;
    }

    /** Entries now. */
    public int size() {
        return entries.size();
    }

    /** The page's entry, created empty if there is none (the entry is not locked by anyone else). */
    Entry grab(long page) {
        Entry e = entries.get(page);
        if (e == null) {
            e = new Entry();
            Entry old = entries.putIfAbsent(page, e);
            if (old != null) {
                e = old;
            }
        }
        return e;
    }

    /** {@code grab_mapping_entry} under Jan Kara's order: the entry (created if absent) locked across the lookup. */
    Entry lock(long page) {
        Entry e = grab(page);
        if (e.locked) {
            throw new IllegalStateException("DAX entry of page " + page + " is locked: the caller must wait first");
        }
        e.locked = true;
        return e;
    }

    /**
     * Installs what a fault's block lookup found and unlocks the entry: a block replaces anything
     * (a zero page mapped for a hole included), a hole maps the zero page only where nothing is
     * mapped yet.
     *
     * @param block the block the lookup found, or {@link #NONE} for a hole
     * @return whether a block replaced the zero page (whose user mappings must go)
     */
    boolean install(Entry e, int block) {
        boolean replacedZero = false;
        if (block != NONE) {
            replacedZero = e.target == ZERO_PAGE;
            e.target = block;
        } else if (e.target == NONE) {
            e.target = ZERO_PAGE;
        }
        e.locked = false;
        return replacedZero;
    }

    /** Unlocks the entry of a fault that failed before its install; an entry never installed is dropped. */
    void abandon(long page, Entry e) {
        e.locked = false;
        if (e.target == NONE) {
            entries.remove(page, e);
        }
    }

    /**
     * The DAX side of {@code invalidate_inode_pages2_range} for one page (the entry is not locked):
     * drops the entry and with it its user mappings, so the next load faults and looks the block up again.
     *
     * @return what the dropped entry mapped, or {@link #NONE} if there was none
     */
    int drop(long page) {
        Entry e = entries.remove(page);
        return e == null ? NONE : e.target;
    }

    /** Drops every entry (a hole punch of the whole file). */
    void clear() {
        entries.clear();
    }
}
