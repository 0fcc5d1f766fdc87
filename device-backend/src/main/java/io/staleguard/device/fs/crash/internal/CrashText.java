package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.crash.CrashModel;
import io.staleguard.device.fs.crash.internal.LogRecord.AckRec;
import io.staleguard.device.fs.crash.internal.LogRecord.ClaimRec;
import io.staleguard.device.fs.crash.internal.LogRecord.CloseRec;
import io.staleguard.device.fs.crash.internal.LogRecord.EntryOp;
import io.staleguard.device.fs.crash.internal.LogRecord.EntryRec;
import io.staleguard.device.fs.crash.internal.LogRecord.SyncRec;
import io.staleguard.device.fs.crash.internal.LogRecord.WriteRec;

/**
 * Every sentence crash exploration prints: the crash point, the fates of volatile operations, and the missing
 * persistence operation of each lost item. These texts are a contract (tests quote them, users grep for them), as
 * the read verdicts' are.
 */
public final class CrashText {

    private CrashText() {
    }

    /** "{@code `/test/wal/seg-2.log`}". */
    static String q(String path) {
        return "`" + path + "`";
    }

    /** The directory holding {@code path}, with a trailing slash: {@code /test/wal/}. */
    static String dirOf(String path) {
        int cut = path.lastIndexOf('/');
        return cut <= 0 ? "/" : path.substring(0, cut + 1);
    }

    /** "crash state 3 (POSIX): power lost just before force(true) of /test/wal/seg-2.log at t=812". */
    public static String point(int state, CrashModel model, CrashPoint p) {
        return "crash state " + state + " (" + model + "): power lost " + where(p);
    }

    static String where(CrashPoint p) {
        LogRecord r = p.at();
        return switch (p.kind()) {
            case BEFORE_SYNC -> "just before " + op(r) + " at t=" + r.time();
            case AFTER_SYNC -> "just after " + op(r) + " at t=" + r.time();
            case AFTER_ACK -> "just after " + op(r) + " at t=" + r.time();
            case AFTER_WRITE -> "just after " + op(r) + " at t=" + r.time();
            case END -> r == null ? "at the end of the workload" : "at the end of the workload (t=" + r.time() + ")";
        };
    }

    /** The operation a record is, as a crash point names it. */
    static String op(LogRecord r) {
        if (r instanceof SyncRec s && s.ofOneWrite()) {
            return "the sync of the " + (s.metadata() ? "SYNC" : "DSYNC") + " write to " + s.path();
        }
        if (r instanceof SyncRec s) {
            return s.isDir() ? "the fsync of directory " + s.path()
                    : "force(" + s.metadata() + ") of " + s.path();
        }
        if (r instanceof CloseRec c) {
            return "close of " + c.path();
        }
        if (r instanceof AckRec a) {
            return "acknowledge '" + a.key() + "'";
        }
        if (r instanceof ClaimRec c) {
            return "acknowledge(" + c.path() + (c.wholeFile() ? "" : ", " + c.off() + ", " + c.len()) + ")";
        }
        if (r instanceof WriteRec w) {
            return "the write of " + w.path() + " " + range(w);
        }
        if (r instanceof EntryRec e) {
            return e.op() == EntryOp.RENAME ? "rename " + e.path() + " to " + e.toPath() : e.op().words() + " " + e.path();
        }
        if (r instanceof LogRecord.TruncateRec t) {
            return "truncate " + t.path() + " to " + t.newSize();
        }
        return String.valueOf(r);
    }

    /** "[4096, +1024)". */
    static String range(WriteRec w) {
        return "[" + w.fileOff() + ", +" + w.len() + ")";
    }

    /** "kept 4, dropped 2, torn 1:". */
    public static String fateCounts(int kept, int dropped, int torn) {
        return "kept " + kept + ", dropped " + dropped + ", torn " + torn + ":";
    }

    /** "dropped: create `/test/wal/seg-2.log` (t=700)", "dropped: write `/test/data.db` [0, +64) (t=5)". */
    public static String dropped(LogRecord r) {
        if (r instanceof WriteRec w) {
            return "dropped: write " + q(w.path()) + " " + range(w) + " (t=" + w.time() + ")";
        }
        if (r instanceof EntryRec e && e.op() == EntryOp.RENAME) {
            return "dropped: rename " + q(e.path()) + " to " + q(e.toPath()) + " (t=" + e.time() + ")";
        }
        if (r instanceof EntryRec e) {
            return "dropped: " + e.op().words() + " " + q(e.path()) + " (t=" + e.time() + ")";
        }
        if (r instanceof LogRecord.TruncateRec t) {
            return "dropped: truncate " + q(t.path()) + " to " + t.newSize() + " (t=" + t.time() + ")";
        }
        return "dropped: " + op(r);
    }

    /** "kept: write `/test/wal.log` [0, +100) (t=5)": a volatile operation that persisted, as a report lists it. */
    public static String kept(LogRecord r) {
        return "kept: " + dropped(r).substring("dropped: ".length());
    }

    /** "torn: write `/test/wal.log` [4096, +1024) at t=790, kept 512 of 1024 bytes (unit 512)". */
    public static String torn(WriteRec w, int keptBytes, int unit) {
        return "torn: write " + q(w.path()) + " " + range(w) + " at t=" + w.time() + ", kept " + keptBytes + " of "
                + w.len() + " bytes (unit " + unit + ")";
    }

    /** The timeline's note of a torn write: "torn: write /test/wal.log, 1 unit(s) kept". */
    public static String tornNote(WriteRec w, int keptUnits) {
        return "torn: write " + w.path() + ", " + keptUnits + " unit(s) kept";
    }

    /** "lost: write `/test/wal.log` [0, +4096) (t=100), its force failed". */
    public static String lost(WriteRec w) {
        return "lost: write " + q(w.path()) + " " + range(w) + " (t=" + w.time() + "), its force failed";
    }

    /** "zeros: `/test/wal.log` [69300, 70000) read as zeros: its size 70000 (t=795) persisted without the write of t=794". */
    public static String zeros(String path, long from, long to, long size, long sizeTime, long writeTime) {
        return "zeros: " + q(path) + " [" + from + ", " + to + ") read as zeros: its size " + size + " (t=" + sizeTime
                + ") persisted without the write of t=" + writeTime;
    }

    /** "kept: size `/test/wal.log` at 8192 bytes". */
    public static String sizeKept(String path, long size) {
        return "kept: size " + q(path) + " at " + size + " bytes";
    }

    /** "size: `/test/wal.log` at 4096 bytes, not 8192". */
    public static String sizeFate(String path, long size, long live) {
        return "size: " + q(path) + " at " + size + " bytes, not " + live;
    }

    // The missing persistence operation of a lost item (plan §4.11).

    /**
     * "`/test/wal/seg-2.log` was created at t=700, and its data forced at t=805, but its directory `/test/wal/` was
     * never fsynced after the create." ({@code forcedAt} &lt; 0: no force clause).
     */
    public static String entryNotSynced(EntryRec e, long forcedAt, boolean journal) {
        String done = switch (e.op()) {
            case CREATE, MKDIR -> "created";
            case UNLINK, RMDIR -> "removed";
            case RENAME -> "renamed from " + q(e.path());
        };
        String word = e.op() == EntryOp.MKDIR ? "mkdir" : e.op() == EntryOp.RMDIR ? "rmdir" : e.op().words();
        String forced = forcedAt >= 0 ? ", and its data forced at t=" + forcedAt : "";
        String tail = journal ? "but no fsync of any file or directory committed the journal after the " + word + "."
                : "but its directory " + q(dirOf(e.resultPath())) + " was never fsynced after the " + word + ".";
        return q(e.resultPath()) + " was " + done + " at t=" + e.time() + forced + ", " + tail;
    }

    /** "`/test/wal.log` [4096, +100) was written at t=790, but the file was never forced after it (last force at t=600)." */
    public static String writeNotForced(WriteRec w, long lastForce) {
        return q(w.path()) + " " + range(w) + " was written at t=" + w.time()
                + ", but the file was never forced after it" + (lastForce >= 0 ? " (last force at t=" + lastForce + ")" : "")
                + ".";
    }

    /**
     * "`/test/MANIFEST` [0, +64) was written as `/test/MANIFEST.tmp` at t=880 and renamed to `/test/MANIFEST` at
     * t=900 without a force before the rename."
     */
    public static String writeRenamedUnforced(WriteRec w, EntryRec rename) {
        return q(rename.toPath()) + " " + range(w) + " was written as " + q(w.path()) + " at t=" + w.time()
                + " and renamed to " + q(rename.toPath()) + " at t=" + rename.time() + " without a force before the rename.";
    }

    /** "`/test/wal.log` grew to 8192 bytes at t=790, but no force made its size durable." */
    public static String sizeNotDurable(String path, long size, long time, boolean grew) {
        return q(path) + (grew ? " grew to " : " was truncated to ") + size + " bytes at t=" + time
                + ", but no force" + (grew ? "" : "(true)") + " made its size durable.";
    }

    /**
     * "`/test/wal.log` [69300, 70000) reads as zeros: its size reached the media before its data, and the file was
     * never forced after the write at t=794."
     */
    public static String readsAsZeros(String path, long from, long to, long writeTime) {
        return q(path) + " [" + from + ", " + to + ") reads as zeros: its size reached the media before its data, "
                + "and the file was never forced after the write at t=" + writeTime + ".";
    }

    /**
     * "`/test/wal.log` [0, +4096) was written at t=100; its force at t=120 failed (Input/output error), the pages
     * were marked clean and their data dropped, and the force at t=130 succeeded with nothing to write back."
     */
    public static String lostWrite(WriteRec w, long failedAt, long laterSuccessAt) {
        return q(w.path()) + " " + range(w) + " was written at t=" + w.time() + "; its force at t=" + failedAt
                + " failed (Input/output error), the pages were marked clean and their data dropped"
                + (laterSuccessAt >= 0 ? ", and the force at t=" + laterSuccessAt + " succeeded with nothing to write back."
                : ".");
    }

    /** "acknowledged at t=812 by main: /test/wal/seg-2.log [0, 4096), crc32c 0x5d11a2c0". */
    public static String claimed(ClaimRec c, long from, long to, long crc) {
        return "acknowledged at t=" + c.time() + " by " + c.thread() + ": " + c.path() + " [" + from + ", " + to
                + "), crc32c 0x" + String.format("%08x", crc);
    }

    /** "recovery threw in 14 of 200 crash states; first: ". */
    public static String recoveryThrew(int failing, int explored) {
        return "recovery threw in " + failing + " of " + explored + " crash states; first: ";
    }

    /** "lost in 3 of 200 crash states; first: ". */
    public static String claimLost(int losing, int explored) {
        return "lost in " + losing + " of " + explored + " crash states; first: ";
    }

    /**
     * A state's explanation: the crash point line, the fates (counts, then one line per op that did not persist
     * whole), then one line per missing persistence operation.
     */
    public static String explain(String pointLine, java.util.List<String> fates, java.util.List<String> missing) {
        StringBuilder sb = new StringBuilder(pointLine);
        for (String f : fates) {
            sb.append('\n').append(f.startsWith("kept ") ? f : "  " + f);
        }
        for (String m : missing) {
            sb.append("\nmissing: ").append(m);
        }
        return sb.toString();
    }

    /** The expectation of a recovery check. */
    public static final String RECOVERY_EXPECTED = "recovery succeeds on every reachable crash state";
}
