package io.staleguard.device.oracle;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.oracle.ShortTransferTracker.PendingRead;
import io.staleguard.device.oracle.ShortTransferTracker.PendingWrite;
import java.util.List;

/**
 * Puts the short-transfer tracker's findings in words: {@link ShortTransferTracker} decides that a
 * short read was not continued or that a short write's tail never reached the media, this class
 * says so. The builders it returns lack only the timeline.
 */
final class ShortTransferFormatter {

    private ShortTransferFormatter() {
    }

    /** A short read the caller did not continue; {@code why} is what ended the wait for it. */
    static Violation.Builder unfinishedRead(PendingRead p, int blockSize, String why) {
        long missing = p.requested() - p.transferred();
        return Violation.of(ViolationKind.SHORT_TRANSFER).at(p.stop(), missing, p.stop() / blockSize)
                .saw("a read continuing at " + p.stop(), why).by(p.thread(), List.of())
                .detail(p.caller().name() + ": a read of " + p.requested() + " bytes at " + p.offset()
                        + " transferred " + p.transferred() + " without reaching end of data, and the caller did"
                        + " not continue at " + p.stop() + ". A short read is legal; taking it as complete (or as"
                        + " end of data) loses " + missing + " bytes (the KAFKA-4576 pattern): loop until the buffer"
                        + " is full or -1 is returned.");
    }

    /**
     * A short write whose untransferred tail is not on the media at the {@code when} (a flush, a
     * close, the end of the test).
     *
     * @param onMedia   CRC-32C of what the media holds in the tail's range
     * @param firstDiff absolute offset of the first differing byte, or -1 if unknown
     */
    static Violation.Builder lostTail(PendingWrite p, int blockSize, int onMedia, long firstDiff, String when) {
        int len = p.tailLength();
        String head = p.caller().name() + ": a write of " + p.requested() + " bytes at " + p.offset()
                + " transferred " + p.transferred();
        String detail = p.error() == null
                ? head + "; the remaining " + len + " bytes at " + p.tailOffset() + " were never written with that"
                        + " content. A short write is legal; ignoring its count loses the tail (the GEODE-2398"
                        + " pattern): loop until every buffer is drained."
                : head + "; its continuation at " + p.tailOffset() + " failed with " + p.error() + ", and the"
                        + " caller wrote on at " + p.movedOnAt() + " instead. The first " + p.transferred()
                        + " bytes landed, the remaining " + len + " never did: the record is torn on the media."
                        + " After a write fails part way, retry the rest at " + p.tailOffset() + ", cut the record"
                        + " off (truncate), or stop writing.";
        return Violation.of(ViolationKind.SHORT_TRANSFER).at(p.tailOffset(), len, p.tailOffset() / blockSize)
                .saw(String.format("the untransferred %d bytes (crc32c %08x) on the media by the %s", len, p.crc(),
                        when), String.format("crc32c %08x on the media at the %s", onMedia, when))
                .firstDiff(firstDiff).by(p.thread(), List.of())
                .detail(detail);
    }
}
