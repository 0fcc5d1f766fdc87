package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.TimelineEvent;
import io.staleguard.device.TimelineEvent.Type;
import io.staleguard.device.fs.crash.internal.LogRecord.AckRec;
import io.staleguard.device.fs.crash.internal.LogRecord.ClaimRec;
import io.staleguard.device.fs.crash.internal.LogRecord.EntryRec;
import io.staleguard.device.fs.crash.internal.LogRecord.SyncRec;
import io.staleguard.device.fs.crash.internal.LogRecord.TruncateRec;
import io.staleguard.device.fs.crash.internal.LogRecord.WriteRec;
import java.util.ArrayList;
import java.util.List;

/**
 * The timeline a crash violation carries: the recorded operations before the crash point (the focus path's, or all
 * when there is no focus), acknowledgements, one {@link Type#CRASH} event at the point, and one
 * {@link Type#DROPPED} or {@link Type#TORN} per volatile operation that did not persist whole. Offsets of file
 * operations are file offsets. At most {@value #MAX_EVENTS} events: the latest are kept.
 */
public final class CrashTimeline {

    /** The most events one timeline holds (the report draws them side by side). */
    public static final int MAX_EVENTS = 64;

    private CrashTimeline() {
    }

    /** The timeline of state {@code state} at {@code point} as {@code res} resolved it; {@code focus} may be null. */
    public static List<TimelineEvent> of(CrashLog log, int state, CrashPoint point, Resolution res, String focus) {
        List<TimelineEvent> ops = new ArrayList<>();
        List<TimelineEvent> fates = new ArrayList<>();
        int p = point.point();
        long crashTime = 0;
        for (int i = 0; i < p - 1; i++) {
            LogRecord r = log.records().get(i);
            crashTime = Math.max(crashTime, r.time());
            Fate f = res.fates()[i];
            String fate = f == null ? "" : " " + f.kind().name().toLowerCase();
            if (r instanceof WriteRec w) {
                if (!matches(focus, w.path())) {
                    continue;
                }
                ops.add(new TimelineEvent(w.time(), w.thread(), Type.WRITE_COMPLETE, w.fileOff(), w.len(), 0,
                        "write " + w.path() + fate));
                if (f != null && (f.kind() == Fate.Kind.DROPPED || f.kind() == Fate.Kind.LOST)) {
                    fates.add(new TimelineEvent(w.time(), w.thread(), Type.DROPPED, w.fileOff(), w.len(), 0,
                            CrashText.dropped(w)));
                } else if (f != null && f.kind() == Fate.Kind.TORN) {
                    fates.add(new TimelineEvent(w.time(), w.thread(), Type.TORN, w.fileOff(), w.len(), 0,
                            CrashText.tornNote(w, f.keptUnits())));
                }
            } else if (r instanceof SyncRec s) {
                if (matches(focus, s.path()) || s.isDir() && focus != null && focus.startsWith(s.path())) {
                    ops.add(new TimelineEvent(s.time(), s.thread(), Type.FLUSH, 0, 0, 0,
                            (s.isDir() ? "fsync " : s.metadata() ? "force(true) " : "force(false) ") + s.path()
                                    + (s.failed() ? " failed" : "")));
                }
            } else if (r instanceof EntryRec e) {
                if (matches(focus, e.path()) || e.toPath() != null && matches(focus, e.toPath())) {
                    ops.add(new TimelineEvent(e.time(), e.thread(), Type.NOTE, 0, 0, 0, CrashText.op(e) + fate));
                    if (f != null && f.kind() == Fate.Kind.DROPPED) {
                        fates.add(new TimelineEvent(e.time(), e.thread(), Type.DROPPED, 0, 0, 0, CrashText.dropped(e)));
                    }
                }
            } else if (r instanceof TruncateRec t) {
                if (matches(focus, t.path())) {
                    ops.add(new TimelineEvent(t.time(), t.thread(), Type.NOTE, t.newSize(), 0, 0,
                            "truncate " + t.path() + " to " + t.newSize() + fate));
                }
            } else if (r instanceof AckRec a) {
                ops.add(new TimelineEvent(a.time(), a.thread(), Type.ACK, 0, 0, 0, "acknowledge '" + a.key() + "'"));
            } else if (r instanceof ClaimRec c) {
                ops.add(new TimelineEvent(c.time(), c.thread(), Type.ACK, c.off(), c.len(), 0,
                        "acknowledge " + c.path()));
            }
        }
        if (p - 1 < log.size()) {
            crashTime = crashTime(log, p);
        }
        List<TimelineEvent> out = new ArrayList<>(ops);
        out.addAll(fates);
        out.add(new TimelineEvent(crashTime, "power", Type.CRASH, 0, 0, 0, "crash (state " + state + ")"));
        out.sort(java.util.Comparator.comparingLong(TimelineEvent::time));
        return out.size() <= MAX_EVENTS ? out : List.copyOf(out.subList(out.size() - MAX_EVENTS, out.size()));
    }

    /**
     * The device clock at crash point {@code point}: the time of the first operation that did not happen, or of
     * the last one at the end of the log.
     */
    static long crashTime(CrashLog log, int point) {
        if (point - 1 < log.size()) {
            return log.records().get(point - 1).time();
        }
        long t = 0;
        for (LogRecord r : log.records()) {
            t = Math.max(t, r.time());
        }
        return t;
    }

    private static boolean matches(String focus, String path) {
        return focus == null || focus.equals(path);
    }
}
