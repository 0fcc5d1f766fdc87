package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.IoMode;
import io.staleguard.device.fs.crash.internal.LogRecord.AckRec;
import io.staleguard.device.fs.crash.internal.LogRecord.ClaimRec;
import io.staleguard.device.fs.crash.internal.LogRecord.CloseRec;
import io.staleguard.device.fs.crash.internal.LogRecord.EntryOp;
import io.staleguard.device.fs.crash.internal.LogRecord.EntryRec;
import io.staleguard.device.fs.crash.internal.LogRecord.SyncRec;
import io.staleguard.device.fs.crash.internal.LogRecord.TruncateRec;
import io.staleguard.device.fs.crash.internal.LogRecord.WriteRec;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Hand-made persistence logs: each call appends one record, 10 ticks after the previous one. */
final class LogBuilder {

    private final List<LogRecord> recs = new ArrayList<>();
    private final ByteArrayOutputStream arena = new ByteArrayOutputStream();
    private final Map<Long, Long> sizes = new HashMap<>();
    private long time = 100;

    private long seq() {
        return recs.size() + 1;
    }

    private long tick() {
        time += 10;
        return time;
    }

    /** Declares the size a base file has. */
    LogBuilder baseSize(long ino, long size) {
        sizes.put(ino, size);
        return this;
    }

    LogBuilder create(long parent, String path, long ino) {
        recs.add(new EntryRec(seq(), tick(), EntryOp.CREATE, parent, name(path), ino, false, 0, null, 0, path, null,
                "main"));
        sizes.put(ino, 0L);
        return this;
    }

    LogBuilder mkdir(long parent, String path, long ino) {
        recs.add(new EntryRec(seq(), tick(), EntryOp.MKDIR, parent, name(path), ino, true, 0, null, 0, path, null,
                "main"));
        return this;
    }

    LogBuilder unlink(long parent, String path, long ino) {
        recs.add(new EntryRec(seq(), tick(), EntryOp.UNLINK, parent, name(path), ino, false, 0, null, 0, path, null,
                "main"));
        return this;
    }

    LogBuilder rename(long fromParent, String from, long toParent, String to, long ino, long replaced) {
        recs.add(new EntryRec(seq(), tick(), EntryOp.RENAME, fromParent, name(from), ino, false, toParent, name(to),
                replaced, from, to, "main"));
        return this;
    }

    LogBuilder write(long ino, String path, long off, byte[] data) {
        long before = sizes.getOrDefault(ino, 0L);
        return write(ino, path, off, data, off + data.length > before);
    }

    /** A write that maps fresh blocks or not ({@code allocating}), whatever it does to the size. */
    LogBuilder write(long ino, String path, long off, byte[] data, boolean allocating) {
        long before = sizes.getOrDefault(ino, 0L);
        long after = Math.max(before, off + data.length);
        long at = arena.size();
        arena.writeBytes(data);
        recs.add(new WriteRec(seq(), tick(), ino, path, off, data.length, at, new long[0], allocating, before,
                after, IoMode.BUFFERED, "main"));
        sizes.put(ino, after);
        return this;
    }

    LogBuilder truncate(long ino, String path, long size) {
        recs.add(new TruncateRec(seq(), tick(), ino, path, sizes.getOrDefault(ino, 0L), size, "main"));
        sizes.put(ino, size);
        return this;
    }

    LogBuilder force(long ino, String path, boolean metadata) {
        recs.add(new SyncRec(seq(), tick(), ino, path, false, metadata, false, "main"));
        return this;
    }

    /** The sync of the last write of a SYNC ({@code metadata}) or DSYNC channel. */
    LogBuilder syncOfWrite(long ino, String path, boolean metadata) {
        long write = 0;
        for (int i = recs.size() - 1; i >= 0 && write == 0; i--) {
            if (recs.get(i) instanceof WriteRec w && w.ino() == ino) {
                write = w.seq();
            }
        }
        recs.add(new SyncRec(seq(), tick(), ino, path, false, metadata, false, "main", write));
        return this;
    }

    LogBuilder failedForce(long ino, String path) {
        recs.add(new SyncRec(seq(), tick(), ino, path, false, false, true, "main"));
        return this;
    }

    LogBuilder fsyncDir(long ino, String path) {
        recs.add(new SyncRec(seq(), tick(), ino, path, true, true, false, "main"));
        return this;
    }

    LogBuilder close(long ino, String path) {
        recs.add(new CloseRec(seq(), tick(), ino, path, "main"));
        return this;
    }

    LogBuilder ack(String key) {
        recs.add(new AckRec(seq(), tick(), key, "main"));
        return this;
    }

    LogBuilder claim(String path, long ino) {
        recs.add(new ClaimRec(seq(), tick(), path, ino, 0, 0, true, "main"));
        return this;
    }

    LogBuilder claim(String path, long ino, long off, long len) {
        recs.add(new ClaimRec(seq(), tick(), path, ino, off, len, false, "main"));
        return this;
    }

    CrashLog log() {
        byte[] bytes = arena.toByteArray();
        return new CrashLog(recs, (off, len, dst, dstOff) -> System.arraycopy(bytes, (int) off, dst, dstOff, len));
    }

    /** The time of the most recent record. */
    long now() {
        return time;
    }

    private static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** {@code n} bytes of {@code b}. */
    static byte[] bytes(int n, int b) {
        byte[] out = new byte[n];
        java.util.Arrays.fill(out, (byte) b);
        return out;
    }
}
