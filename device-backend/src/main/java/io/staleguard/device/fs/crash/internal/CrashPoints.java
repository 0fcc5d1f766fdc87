package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.Seeds;
import io.staleguard.device.fs.crash.internal.CrashPoint.Kind;
import io.staleguard.device.fs.crash.internal.LogRecord.AckRec;
import io.staleguard.device.fs.crash.internal.LogRecord.ClaimRec;
import io.staleguard.device.fs.crash.internal.LogRecord.CloseRec;
import io.staleguard.device.fs.crash.internal.LogRecord.SyncRec;
import io.staleguard.device.fs.crash.internal.LogRecord.WriteRec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The crash points of a log: just before and just after every persistence operation (force, directory fsync,
 * close), just after every acknowledgement and claim, the end of the workload, and seeded points after writes.
 * A point chosen for two reasons keeps the first of {@link Kind}'s order.
 */
public final class CrashPoints {

    private CrashPoints() {
    }

    /** The points of {@code log}, sorted, at most {@code budget} unless acknowledgements need more. */
    public static List<CrashPoint> of(CrashLog log, int budget, long seed) {
        TreeMap<Integer, CrashPoint> points = new TreeMap<>();
        List<WriteRec> writes = new ArrayList<>();
        for (LogRecord r : log.records()) {
            int seq = (int) r.seq();
            if (r instanceof SyncRec || r instanceof CloseRec) {
                put(points, new CrashPoint(seq, Kind.BEFORE_SYNC, r));
                put(points, new CrashPoint(seq + 1, Kind.AFTER_SYNC, r));
            } else if (r instanceof AckRec || r instanceof ClaimRec) {
                put(points, new CrashPoint(seq + 1, Kind.AFTER_ACK, r));
            } else if (r instanceof WriteRec w) {
                writes.add(w);
            }
        }
        LogRecord last = log.size() == 0 ? null : log.at(log.size());
        put(points, new CrashPoint(log.end(), Kind.END, last));
        SplittableRandom rnd = new SplittableRandom(Seeds.derive(seed, "crash-points"));
        int k = Math.min(writes.size(), Math.max(8, budget / 4));
        List<WriteRec> pool = new ArrayList<>(writes);
        for (int i = 0; i < k; i++) {
            WriteRec w = pool.remove(rnd.nextInt(pool.size()));
            put(points, new CrashPoint((int) w.seq() + 1, Kind.AFTER_WRITE, w));
        }
        List<CrashPoint> all = new ArrayList<>(points.values());
        if (all.size() <= budget) {
            return all;
        }
        List<CrashPoint> kept = new ArrayList<>();
        List<CrashPoint> rest = new ArrayList<>();
        for (CrashPoint p : all) {
            (p.kind() == Kind.AFTER_ACK || p.kind() == Kind.BEFORE_SYNC ? kept : rest).add(p);
        }
        Collections.shuffle(rest, new java.util.Random(Seeds.derive(seed, "crash-points-kept")));
        for (CrashPoint p : rest) {
            if (kept.size() >= budget) {
                break;
            }
            kept.add(p);
        }
        kept.sort(Comparator.comparingInt(CrashPoint::point));
        return kept;
    }

    private static void put(TreeMap<Integer, CrashPoint> points, CrashPoint p) {
        points.merge(p.point(), p, (a, b) -> a.kind().compareTo(b.kind()) <= 0 ? a : b);
    }
}
