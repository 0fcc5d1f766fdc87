package io.staleguard.device.sim.kernel.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mapping's writeback error as Linux keeps it since v4.13 ({@code errseq_t}, {@code lib/errseq.c}): one 32-bit
 * value whose low 12 bits are the last errno, bit 12 says someone has seen it, and the bits above count errors.
 * Every open file holds a cursor sampled at open; {@code fsync} reports an error once per cursor and advances it.
 * So a failed writeback is reported to each open file once, a retried fsync finds nothing new and succeeds, and a
 * file opened after everyone saw the error never hears of it.
 *
 * <p>A line-by-line port, with positive errnos (the kernel stores {@code -err}), and compare-and-set where the
 * kernel uses {@code cmpxchg}: "fs: new infrastructure for writeback error handling and reporting", Jeff Layton,
 * 2017 (commit 5660e13d, v4.13), and "errseq: Always report a writeback error once", Matthew Wilcox, 2018-04-27
 * (commit b4678df1, v4.17: {@link #sample} returns 0 while the error is unseen, so a file opened after an unseen
 * error still reports it).
 * Thread safe; no lock, no allocation.
 */
public final class ErrSeq {

    /** {@code MAX_ERRNO}: the errno field's mask. */
    static final int MAX_ERRNO = 4095;
    /** {@code ERRSEQ_SEEN}: the error was reported through some cursor. */
    static final int SEEN = MAX_ERRNO + 1;
    /** {@code ERRSEQ_CTR_INC}: one more error. */
    static final int COUNTER_INCREMENT = SEEN << 1;

    /** {@code EIO}. */
    public static final int EIO = 5;

    private final AtomicInteger value = new AtomicInteger();

    /**
     * {@code errseq_set} ({@code mapping_set_error}): records {@code errno}. The counter moves only if the previous
     * error was seen, so errors nobody has looked at yet collapse into one.
     *
     * @throws IllegalArgumentException if {@code errno} is not in [1, 4095]
     */
    public int set(int errno) {
        if (errno <= 0 || errno > MAX_ERRNO) {
            throw new IllegalArgumentException("errno " + errno + " is not in [1, " + MAX_ERRNO + "]");
        }
        int old = value.get();
        while (true) {
            int next = (old & ~(MAX_ERRNO | SEEN)) | errno;
            if ((old & SEEN) != 0) {
                next += COUNTER_INCREMENT;
            }
            if (next == old) {
                return next;
            }
            int cur = value.compareAndExchange(old, next);
            if (cur == old || cur == next) {
                return next;
            }
            old = cur;
        }
    }

    /** {@code errseq_sample} (at open, {@code file->f_wb_err}): the value now, or 0 while its error is unseen. */
    public int sample() {
        int old = value.get();
        return (old & SEEN) == 0 ? 0 : old;
    }

    /** {@code errseq_check}: the errno recorded since {@code since}, or 0; reports nothing as seen. */
    public int check(int since) {
        int cur = value.get();
        return cur == since ? 0 : cur & MAX_ERRNO;
    }

    /**
     * {@code errseq_check_and_advance} ({@code file_check_and_advance_wb_err}, at fsync): the errno recorded since
     * {@code cursor[0]}, or 0; marks it seen and moves the cursor to it, so this cursor reports it once.
     */
    public int checkAndAdvance(int[] cursor) {
        int old = value.get();
        if (old == cursor[0]) {
            return 0;
        }
        int next = old | SEEN;
        if (next != old) {
            value.compareAndSet(old, next);
        }
        cursor[0] = next;
        return next & MAX_ERRNO;
    }

    /**
     * Back to a fresh mapping's value, 0: the power was lost, and after a reboot the page cache, its mappings and
     * their {@code errseq_t} are new, so no file opened then hears of an error from before. Cursors sampled before
     * stay harmless: against 0 they report nothing.
     */
    public void reset() {
        value.set(0);
    }

    /** The raw value, for tests and messages. */
    int value() {
        return value.get();
    }
}
