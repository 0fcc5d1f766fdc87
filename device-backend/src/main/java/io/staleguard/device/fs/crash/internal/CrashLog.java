package io.staleguard.device.fs.crash.internal;

import java.util.List;
import java.util.Objects;

/**
 * A recorded run as the crash core reads it: the records in log order (sequence numbers 1..n) and the bytes their
 * writes carried. Crash point {@code p} means records with {@code seq < p} happened and nothing after; the points
 * of a log are 1..{@code size() + 1}.
 */
public record CrashLog(List<LogRecord> records, RecordedBytes bytes) {

    public CrashLog {
        records = List.copyOf(records);
        Objects.requireNonNull(bytes, "bytes");
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).seq() != i + 1) {
                throw new IllegalArgumentException("log record " + i + " has seq " + records.get(i).seq()
                        + ", expected " + (i + 1));
            }
        }
    }

    /** The number of records. */
    public int size() {
        return records.size();
    }

    /** The record of sequence number {@code seq}. */
    public LogRecord at(long seq) {
        return records.get((int) seq - 1);
    }

    /** The point at the end of the workload. */
    public int end() {
        return records.size() + 1;
    }
}
