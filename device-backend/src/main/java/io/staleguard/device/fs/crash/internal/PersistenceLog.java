package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.IoMode;
import io.staleguard.device.fs.crash.internal.LogRecord.AckRec;
import io.staleguard.device.fs.crash.internal.LogRecord.ClaimRec;
import io.staleguard.device.fs.crash.internal.LogRecord.CloseRec;
import io.staleguard.device.fs.crash.internal.LogRecord.EntryOp;
import io.staleguard.device.fs.crash.internal.LogRecord.EntryRec;
import io.staleguard.device.fs.crash.internal.LogRecord.MarkRec;
import io.staleguard.device.fs.crash.internal.LogRecord.SyncRec;
import io.staleguard.device.fs.crash.internal.LogRecord.TruncateRec;
import io.staleguard.device.fs.crash.internal.LogRecord.WriteRec;
import io.staleguard.device.fs.internal.PersistenceEvents;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.sim.SimulatedDevice;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The persistence log of one recorded run: the volume's {@link PersistenceEvents} turned into {@link LogRecord}s,
 * in the order they took effect, with the bytes of every write in a {@link ByteArena}. The program's
 * acknowledgements and durability claims go into the same order. Sequence numbers start at 1; times come from the
 * device's clock, so that they line up with the device's timeline. Thread safe: one lock orders every record.
 *
 * <p>Times and permissions ({@link #attributes}) are not recorded: no crash model makes them durable or not. A
 * write of a {@code SYNC}/{@code DSYNC} channel is recorded as the write and a sync that belongs to it alone.
 */
public final class PersistenceLog implements PersistenceEvents {

    /** The text of the mark the log gets when the allocator gives quarantined blocks back early. */
    public static final String QUARANTINE_RELEASED = "quarantine released";

    private final LongSupplier clock;
    private final ByteArena bytes;
    private final List<LogRecord> records = new ArrayList<>();
    private int persistenceOps;

    /** A log stamping records with {@code clock}, keeping bytes in {@code bytes}. */
    public PersistenceLog(LongSupplier clock, ByteArena bytes) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.bytes = Objects.requireNonNull(bytes, "bytes");
    }

    /** A log on {@code device}'s clock (its history oracle's instants, else the JVM's nano time), 256 MiB of bytes. */
    public static PersistenceLog on(SimulatedDevice device) {
        HistoryOracle oracle = device.oracle();
        return new PersistenceLog(oracle != null ? oracle::instant : System::nanoTime, new ByteArena());
    }

    private long seq() {
        return records.size() + 1L;
    }

    private static String thread() {
        return Thread.currentThread().getName();
    }

    @Override
    public synchronized void created(long parentIno, String name, long ino, boolean dir, String path) {
        persistenceOps++;
        records.add(new EntryRec(seq(), clock.getAsLong(), dir ? EntryOp.MKDIR : EntryOp.CREATE, parentIno, name, ino,
                dir, 0, null, 0, path, null, thread()));
    }

    @Override
    public synchronized void removed(long parentIno, String name, long ino, boolean dir, String path) {
        persistenceOps++;
        records.add(new EntryRec(seq(), clock.getAsLong(), dir ? EntryOp.RMDIR : EntryOp.UNLINK, parentIno, name, ino,
                dir, 0, null, 0, path, null, thread()));
    }

    @Override
    public synchronized void renamed(long fromParent, String fromName, long toParent, String toName, long ino,
                                     boolean dir, long replacedIno, String fromPath, String toPath) {
        persistenceOps++;
        records.add(new EntryRec(seq(), clock.getAsLong(), EntryOp.RENAME, fromParent, fromName, ino, dir, toParent,
                toName, replacedIno, fromPath, toPath, thread()));
    }

    @Override
    public synchronized void truncated(long ino, String path, long sizeBefore, long newSize) {
        persistenceOps++;
        records.add(new TruncateRec(seq(), clock.getAsLong(), ino, path, sizeBefore, newSize, thread()));
    }

    @Override
    public synchronized void wrote(long ino, String path, long fileOffset, ByteBuffer landed, long[] deviceRuns,
                                   boolean allocating, long sizeBefore, long sizeAfter, IoMode mode, String thread) {
        int len = landed.remaining();
        if (len == 0) {
            return;
        }
        long at = bytes.put(landed);
        persistenceOps++;
        records.add(new WriteRec(seq(), clock.getAsLong(), ino, path, fileOffset, len, at, deviceRuns.clone(),
                allocating, sizeBefore, sizeAfter, mode, thread));
    }

    @Override
    public synchronized void synced(long ino, String path, boolean directory, boolean metadata, boolean failed,
                                    String thread) {
        persistenceOps++;
        records.add(new SyncRec(seq(), clock.getAsLong(), ino, path, directory, metadata, failed, thread));
    }

    @Override
    public synchronized void syncedWrite(long ino, String path, boolean metadata, boolean failed, String thread) {
        long write = 0;
        for (int i = records.size() - 1; i >= 0; i--) {
            if (records.get(i) instanceof WriteRec w && w.ino() == ino && w.thread().equals(thread)) {
                write = w.seq();
                break;
            }
        }
        persistenceOps++;
        if (write == 0) {
            // No write of this thread to the file was recorded (it began before recording): a sync of the file.
            records.add(new SyncRec(seq(), clock.getAsLong(), ino, path, false, metadata, failed, thread));
        } else {
            records.add(new SyncRec(seq(), clock.getAsLong(), ino, path, false, metadata, failed, thread, write));
        }
    }

    @Override
    public synchronized void closed(long ino, String path) {
        persistenceOps++;
        records.add(new CloseRec(seq(), clock.getAsLong(), ino, path, thread()));
    }

    @Override
    public synchronized void quarantineReleased() {
        records.add(new MarkRec(seq(), clock.getAsLong(), QUARANTINE_RELEASED));
    }

    /** The program told its client that {@code key} is done: an {@link AckRec}. */
    public synchronized AckRec acknowledge(String key) {
        Objects.requireNonNull(key, "key");
        AckRec r = new AckRec(seq(), clock.getAsLong(), key, thread());
        records.add(r);
        return r;
    }

    /**
     * The program claimed {@code path} (inode {@code ino}) durable: the whole file ({@code wholeFile}, with
     * {@code len} its size now) or {@code [off, off + len)}; a {@link ClaimRec}.
     */
    public synchronized ClaimRec claim(String path, long ino, long off, long len, boolean wholeFile) {
        Objects.requireNonNull(path, "path");
        if (off < 0 || len < 0) {
            throw new IllegalArgumentException("claim of " + path + " [" + off + ", +" + len + "): negative offset "
                    + "or length");
        }
        ClaimRec r = new ClaimRec(seq(), clock.getAsLong(), path, ino, off, len, wholeFile, thread());
        records.add(r);
        return r;
    }

    /** A note in the log. */
    public synchronized MarkRec mark(String text) {
        MarkRec r = new MarkRec(seq(), clock.getAsLong(), Objects.requireNonNull(text, "text"));
        records.add(r);
        return r;
    }

    /** The records so far. */
    public synchronized int size() {
        return records.size();
    }

    /** How many records came from the filesystem (writes, truncates, entry operations, syncs, closes). */
    public synchronized int persistenceOps() {
        return persistenceOps;
    }

    /** Whether the filesystem changed: a write, truncate or entry operation was recorded. */
    public synchronized boolean changedFiles() {
        for (LogRecord r : records) {
            if (r instanceof WriteRec || r instanceof TruncateRec || r instanceof EntryRec) {
                return true;
            }
        }
        return false;
    }

    /** The bytes the writes carried. */
    public ByteArena bytes() {
        return bytes;
    }

    /** The log as the crash core reads it: the records so far, over this log's bytes. */
    public synchronized CrashLog toCrashLog() {
        return new CrashLog(records, bytes);
    }
}
