package io.staleguard.device.sim.kernel.internal;

/**
 * The on-demand read-ahead state of one open file ({@code struct file_ra_state}), reduced to what
 * Karl Schendel's ring buffer (Jeff Moyer's 2008-06-18 thread) depends on: a window that starts
 * small on a miss, doubles on sequential access up to a maximum, and is triggered <em>ahead</em> of
 * the reader by the {@code PG_readahead} mark, so that pages beyond the reader's position are read
 * before the reader gets there.
 */
public final class Readahead {

    /** A read-ahead decision: read pages {@code [start, start + size)}, mark page {@code mark}. */
    public record Window(long start, int size, long mark, boolean synchronous) {
    }

    private final int initialPages;
    private final int maxPages;
    private long start;
    private int size;
    private int asyncSize;
    private long prev = -2;

    public Readahead(int initialPages, int maxPages) {
        this.initialPages = initialPages;
        this.maxPages = maxPages;
    }

    /**
     * The read-ahead to issue for a read of page {@code index}, or null.
     *
     * @param cached whether the page is in the page cache
     * @param marked whether it carries the read-ahead mark
     */
    public Window onRead(long index, boolean cached, boolean marked) {
        Window w = null;
        if (!cached) {
            if (index == prev + 1 && size > 0) {
                size = next(size);
            } else {
                size = initialPages;
            }
            start = index;
            // Linux: async_size = size - req_size, so the mark sits just after the requested page.
            asyncSize = size - 1;
            w = new Window(start, size, start + size - asyncSize, true);
        } else if (marked) {
            long expected = start + size - asyncSize;
            start = index == expected ? start + size : index + 1;
            size = next(size);
            asyncSize = size;
            w = new Window(start, size, start, false);
        }
        prev = index;
        return w;
    }

    private int next(int cur) {
        // get_next_ra_size(): quadruple small windows, double medium ones, cap at the maximum.
        int n = cur < maxPages / 16 ? 4 * cur : 2 * cur;
        return Math.min(n, maxPages);
    }
}
