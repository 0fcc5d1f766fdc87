package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.crash.internal.LogRecord.SyncRec;
import java.util.HashMap;
import java.util.Map;

/**
 * For every record before a crash point, the first force of its file that follows it before the point: none, a
 * successful one (the record's data is durable) or a failed one (its pages were marked clean: the data is lost,
 * also to a later successful force, as Linux does since the writeback-error rework of 4.13). The sync of a write of
 * a {@code SYNC}/{@code DSYNC} channel counts for that write only.
 */
final class FirstSync {

    static final byte NONE = 0;
    static final byte SYNCED = 1;
    static final byte FAILED = 2;

    private FirstSync() {
    }

    /** Index {@code seq - 1}: the verdict of each record's inode (meaningful for writes and truncates). */
    static byte[] of(CrashLog log, int point) {
        int n = point - 1;
        byte[] verdict = new byte[n];
        Map<Long, Byte> next = new HashMap<>();
        Map<Long, Byte> own = new HashMap<>();
        for (int i = n - 1; i >= 0; i--) {
            LogRecord r = log.records().get(i);
            if (r instanceof SyncRec s && !s.isDir() && s.ofOneWrite()) {
                // A SYNC/DSYNC write's own sync settles that write only.
                own.put(s.ofWrite(), s.failed() ? FAILED : SYNCED);
            } else if (r instanceof SyncRec s && !s.isDir()) {
                next.put(s.ino(), s.failed() ? FAILED : SYNCED);
            } else if (r instanceof LogRecord.WriteRec w) {
                Byte mine = own.get(w.seq());
                verdict[i] = mine != null ? mine : next.getOrDefault(w.ino(), NONE);
            } else if (r instanceof LogRecord.TruncateRec t) {
                verdict[i] = next.getOrDefault(t.ino(), NONE);
            }
        }
        return verdict;
    }

    /** The sequence number of the last successful sync (file or directory) before {@code point}, or 0. */
    static long lastCommit(CrashLog log, int point) {
        for (int i = point - 2; i >= 0; i--) {
            if (log.records().get(i) instanceof SyncRec s && !s.failed()) {
                return s.seq();
            }
        }
        return 0;
    }
}
