package io.staleguard.device.oracle;

/**
 * One write while it is in flight: what {@link HistoryOracle#writeLanded} and
 * {@link HistoryOracle#writeCompleted} need to find it. Blocks copy what they keep from it, so it
 * dies young.
 */
final class WriteRecord {

    /** Completion sequence of a version still in flight. */
    static final long IN_FLIGHT = Long.MAX_VALUE;

    /** The version number, which is also the submit sequence number. */
    final long id;
    final long offset;
    final long length;
    final String thread;
    final long submitTime;

    WriteRecord(long id, long offset, long length, String thread, long submitTime) {
        this.id = id;
        this.offset = offset;
        this.length = length;
        this.thread = thread;
        this.submitTime = submitTime;
    }
}
