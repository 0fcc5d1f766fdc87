package io.staleguard.device;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * One entry of an operation log: who did what to which byte range, and when.
 *
 * <p>Timelines are kept in bounded ring buffers and attached to violations so that a report can
 * draw the interleaving that produced them.
 *
 * @param time     the instant, in the device clock's units (virtual nanoseconds on the
 *                 deterministic scheduler, a logical tick or {@code System.nanoTime} elsewhere)
 * @param thread   the submitting or executing thread ("writer-1", "kworker", "irq", ...)
 * @param type     what happened
 * @param offset   first byte of the affected range
 * @param length   length of the affected range in bytes
 * @param writeId  the write version involved (0 when none): the version a write created, or the
 *                 version a read saw
 * @param note     free text ("read-ahead window 32 pages", "invalidate 4 pages", ...)
 */
@API(status = STABLE, since = "0.1")
public record TimelineEvent(long time, String thread, Type type, long offset, long length, long writeId, String note) {

    /**
     * Event types; the report draws each with its own shape. Readers that do not know a type (an older plugin)
     * read it as {@link #NOTE}.
     */
    public enum Type {
        WRITE_SUBMIT, WRITE_LAND, WRITE_COMPLETE,
        READ_SUBMIT, READ_COMPLETE,
        READAHEAD, INVALIDATE, WRITEBACK_START, WRITEBACK_END,
        FAULT, MAP_STORE, FLUSH, NOTE,
        /** Power lost: the device came back in a crash state (or the end state after an exploration). */
        CRASH,
        /** A volatile operation that did not persist in a crash state. */
        DROPPED,
        /** A volatile write of which only some atomic write units persisted in a crash state. */
        TORN,
        /** The program told its client that something is done ({@code Crash.acknowledge}). */
        ACK,
        /** An injected storage fault fired (issue #13): an I/O error, a lost or misdirected write, a flipped bit. */
        IO_FAULT
    }

    /** A compact one-line rendering used in failure messages. */
    public String render() {
        return String.format("t=%d %-10s %-15s [%d,+%d) %s%s", time, thread, type, offset, length,
                writeId == 0 ? "" : "v" + writeId + " ", note == null ? "" : note);
    }
}
