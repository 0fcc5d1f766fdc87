package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.Seeds;
import io.staleguard.device.fs.crash.CrashSettings;
import io.staleguard.device.fs.crash.internal.LogRecord.ClaimRec;
import io.staleguard.device.fs.crash.internal.VolatileItem.DataItem;
import io.staleguard.device.fs.crash.internal.VolatileItem.EntryItem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Chooses and numbers the crash states of a recorded run, deterministically for a log, its settings and seed.
 * Phases, in order: 0, the minimal state right after every claim (beyond the budget if need be, so durability
 * never depends on it); 1, the minimal state of every point (all volatile dropped); 2, the maximal state of every
 * point; 3, every remaining option vector of points with at most {@value #EXHAUSTIVE} vectors, in mixed-radix
 * order; 4, one seeded vector per point round-robin, a point giving up after {@code 2 × items} consecutive
 * duplicates (CrashMonkey's bound). A candidate whose fingerprint (image and acknowledgements before the point)
 * an accepted state has is skipped; states are numbered in acceptance order.
 */
public final class CrashStatePlanner {

    /** Points with at most this many option vectors are enumerated exhaustively. */
    public static final int EXHAUSTIVE = 64;

    private final CrashLog log;
    private final ModelRules rules;
    private final CrashSettings settings;
    private final CrashImageBuilder images;

    public CrashStatePlanner(CrashLog log, TreeImage base, CrashSettings settings) {
        this.log = log;
        this.settings = settings;
        this.rules = ModelRules.of(settings.model());
        this.images = new CrashImageBuilder(base, log, settings.atomicWrite());
    }

    /** The builder of the images this planner fingerprints. */
    public CrashImageBuilder images() {
        return images;
    }

    /** The plan. */
    public CrashPlan plan() {
        List<CrashPoint> points = CrashPoints.of(log, settings.budget(), settings.seed());
        Map<Integer, VolatileSet> sets = new LinkedHashMap<>();
        for (CrashPoint p : points) {
            sets.put(p.point(), rules.at(log, p.point(), settings.atomicWrite()));
        }
        Acceptor acc = new Acceptor(settings.budget());
        for (CrashPoint p : points) {
            if (p.kind() == CrashPoint.Kind.AFTER_ACK && p.at() instanceof ClaimRec) {
                acc.offer(p, sets.get(p.point()), sets.get(p.point()).minimal(), true);
            }
        }
        for (CrashPoint p : points) {
            acc.offer(p, sets.get(p.point()), sets.get(p.point()).minimal(), false);
        }
        for (CrashPoint p : points) {
            acc.offer(p, sets.get(p.point()), sets.get(p.point()).maximal(), false);
        }
        for (CrashPoint p : points) {
            VolatileSet set = sets.get(p.point());
            if (set.count() <= EXHAUSTIVE) {
                int[] v = set.minimal();
                do {
                    acc.offer(p, set, v.clone(), false);
                } while (!acc.full() && next(v, set));
            }
        }
        sample(points, sets, acc);
        return new CrashPlan(acc.states, points, sets, acc.duplicates, settings.budget());
    }

    private void sample(List<CrashPoint> points, Map<Integer, VolatileSet> sets, Acceptor acc) {
        long seed = Seeds.derive(settings.seed(), "crash");
        int[] misses = new int[points.size()];
        int[] drawn = new int[points.size()];
        boolean any = true;
        while (any && !acc.full()) {
            any = false;
            for (int i = 0; i < points.size() && !acc.full(); i++) {
                CrashPoint p = points.get(i);
                VolatileSet set = sets.get(p.point());
                int bound = Math.max(2, 2 * set.items().size());
                if (set.items().isEmpty() || misses[i] >= bound) {
                    continue;
                }
                any = true;
                SplittableRandom rnd = new SplittableRandom(Seeds.derive(seed, "point-" + p.point(), drawn[i]++));
                if (acc.offer(p, set, draw(set, rnd), false)) {
                    misses[i] = 0;
                } else {
                    misses[i]++;
                }
            }
        }
    }

    /** A seeded vector: a write kept 1/2, dropped 1/4, torn 1/4; an entry kept 1/2; sizes and prefixes uniform. */
    static int[] draw(VolatileSet set, SplittableRandom rnd) {
        int[] v = new int[set.items().size()];
        for (int i = 0; i < v.length; i++) {
            VolatileItem it = set.items().get(i);
            if (it instanceof DataItem d) {
                int r = rnd.nextInt(4);
                v[i] = r < 2 ? DataItem.KEPT : r == 2 || d.tornPrefixes().length == 0 ? DataItem.DROPPED
                        : 2 + rnd.nextInt(d.tornPrefixes().length);
            } else if (it instanceof EntryItem) {
                v[i] = rnd.nextInt(2);
            } else {
                v[i] = rnd.nextInt(it.options());
            }
        }
        return v;
    }

    /** How many acknowledgements and claims precede {@code point}. */
    private int told(int point) {
        int n = 0;
        for (int i = 0; i < point - 1; i++) {
            LogRecord r = log.records().get(i);
            if (r instanceof LogRecord.AckRec || r instanceof ClaimRec) {
                n++;
            }
        }
        return n;
    }

    /** Advances {@code v} in mixed-radix order (item 0 fastest); false after the last vector. */
    static boolean next(int[] v, VolatileSet set) {
        for (int i = 0; i < v.length; i++) {
            if (++v[i] < set.items().get(i).options()) {
                return true;
            }
            v[i] = 0;
        }
        return false;
    }

    private final class Acceptor {
        final int budget;
        final List<StatePlan> states = new ArrayList<>();
        final Set<StateFingerprint> seen = new HashSet<>();
        int duplicates;

        Acceptor(int budget) {
            this.budget = budget;
        }

        boolean full() {
            return states.size() >= budget;
        }

        boolean offer(CrashPoint p, VolatileSet set, int[] choices, boolean beyondBudget) {
            if (full() && !beyondBudget) {
                return false;
            }
            StateFingerprint fp = StateFingerprint.of(images.build(set.resolve(choices)), told(p.point()));
            if (!seen.add(fp)) {
                duplicates++;
                return false;
            }
            states.add(new StatePlan(states.size(), p, choices, fp));
            return true;
        }
    }
}
