package io.staleguard.device.core.internal;

import java.util.Locale;

/**
 * The wording of the front end's violations and errors, kept apart from the checks that find
 * them: the checks decide what is wrong, this class says it.
 */
final class FrontEndText {

    private FrontEndText() {
    }

    /** An operation as a violation's detail names it: {@code async DIRECT write #7 [0,+4096) by main via ch1}. */
    static String operation(IoOp op) {
        return (op.async ? "async " : "") + op.mode + " " + op.kind.name().toLowerCase(Locale.ROOT) + " #"
                + op.seq + " [" + op.offset + ",+" + op.length + ") by " + op.thread + " via " + op.caller.name();
    }

    /** A buffer changed between submission and DMA. */
    static String changedAfterSubmission(IoOp op, long firstDiff) {
        return "the buffer of " + operation(op) + " changed after its protection information"
                + " was generated at submission and before the device took the data (DMA); first differing byte at "
                + "device offset " + firstDiff;
    }

    /** A tag mismatch found while {@code where} for {@code op}. */
    static String tagMismatch(String mismatch, String where, IoOp op) {
        return mismatch + " — " + where + " (" + operation(op) + ")";
    }

    /** A tag mismatch found when a path read the media for {@code who}. */
    static String mediaReadBy(String mismatch, String who) {
        return mismatch + " — media read by " + who;
    }

    /** Where a misdirected write landed. */
    static String misdirected(long landing, long addressed) {
        return "write landed at offset " + landing + " instead of " + addressed + " (misdirected)";
    }

    /** A guard as a violation shows it. */
    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** A write at or beyond the capacity. */
    static String noSpace(long offset, long capacity, String backend) {
        return "No space left on device: offset " + offset + " is at or beyond the capacity (" + capacity
                + " bytes) of " + backend;
    }
}
