package io.staleguard.device.oracle;

/**
 * One write as the oracle knows it: its order (submit and completion sequence numbers), its
 * instants for reports and who submitted it. Per-block content lives in {@link BlockHistory}.
 */
final class WriteRecord {

    static final long IN_FLIGHT = Long.MAX_VALUE;

    /** The version number, which is also the submit sequence number. */
    final long id;
    final long offset;
    final long length;
    final String thread;
    final long submitTime;
    /** Completion sequence number; {@link #IN_FLIGHT} until completed or abandoned. */
    volatile long completeSeq = IN_FLIGHT;
    volatile long completeTime;
    volatile boolean abandoned;

    WriteRecord(long id, long offset, long length, String thread, long submitTime) {
        this.id = id;
        this.offset = offset;
        this.length = length;
        this.thread = thread;
        this.submitTime = submitTime;
    }

    /** "v12 (submitted t=3, completed t=9, thread writer-1)". */
    String describe() {
        long c = completeSeq;
        StringBuilder sb = new StringBuilder(64).append('v').append(id).append(" (submitted t=").append(submitTime);
        if (c == IN_FLIGHT) {
            sb.append(", in flight");
        } else {
            sb.append(abandoned ? ", failed t=" : ", completed t=").append(completeTime);
        }
        return sb.append(", thread ").append(thread).append(')').toString();
    }
}
