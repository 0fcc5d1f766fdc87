package io.staleguard.device.sim.kernel.internal;

/**
 * A page-cache page: its bytes and the flags the hazards turn on. Only {@link PageCache} changes
 * them, in its steps; schedulers read them to decide whether a step may run.
 *
 * <p>{@code locked} is the page lock held across a read I/O (read-ahead inserts pages locked and not
 * uptodate; the I/O completion fills, marks uptodate and unlocks). {@code writeback} is
 * {@code PG_writeback}, set from writeback submission to DMA completion. {@code dirtyBlocks} are the
 * dirty blocks as buffer heads track them (bit i = block i of the page): writeback and laundering
 * write only these, so a page cached around a direct write to another of its blocks never puts
 * that block's old copy back. {@code pte} is the state of the user mapping of the page: none,
 * read-only (after {@code page_mkclean}) or writable. {@code removed} says the page left the cache
 * (a thread that looked it up before must look again).
 */
public final class Page {

    /** No user mapping of the page. */
    public static final byte PTE_NONE = 0;
    /** Mapped read-only: the next store faults into {@code page_mkwrite}. */
    public static final byte PTE_RO = 1;
    /** Mapped writable: stores go straight to the page, with no kernel involvement. */
    public static final byte PTE_RW = 2;

    final long index;
    final byte[] data;
    boolean uptodate;
    boolean dirty;
    long dirtyBlocks;
    boolean writeback;
    boolean locked;
    /** PG_readahead: reading this page triggers the next asynchronous read-ahead. */
    boolean readaheadMark;
    /** The read-ahead request whose I/O holds the lock (0 = none). */
    long lockOwner;
    byte pte;
    boolean removed;

    Page(long index, int size) {
        this.index = index;
        this.data = new byte[size];
    }

    /** The page's index in its address space. */
    public long index() {
        return index;
    }
}
