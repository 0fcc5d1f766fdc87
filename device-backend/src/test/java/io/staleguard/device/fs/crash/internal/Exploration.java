package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.Violation;
import io.staleguard.device.fs.crash.CrashModel;
import io.staleguard.device.fs.crash.CrashSettings;
import io.staleguard.device.fs.crash.internal.LogRecord.AckRec;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/**
 * The pure-logic exploration of a hand-made log: plan, durability check, and a recovery predicate over every
 * planned state (the stand-in for the state runner, which needs the device).
 */
final class Exploration {

    static final long SEED = 0x5eed_c3L;

    final CrashLog log;
    final CrashSettings settings;
    final CrashStatePlanner planner;
    final CrashPlan plan;

    Exploration(CrashLog log, TreeImage base, CrashModel model) {
        this(log, base, CrashSettings.defaults(SEED).withModel(model));
    }

    Exploration(CrashLog log, TreeImage base, CrashSettings settings) {
        this.log = log;
        this.settings = settings;
        this.planner = new CrashStatePlanner(log, base, settings);
        this.plan = planner.plan();
    }

    List<Violation> durability() {
        return new DurabilityCheck(planner, settings.atomicWrite()).run(log, plan);
    }

    TreeImage image(StatePlan s) {
        return planner.images().build(plan.setOf(s).resolve(s.choices()));
    }

    /** The keys acknowledged before {@code s}'s crash point. */
    Set<String> acknowledged(StatePlan s) {
        Set<String> keys = new TreeSet<>();
        for (int i = 0; i < s.point().point() - 1; i++) {
            if (log.records().get(i) instanceof AckRec a) {
                keys.add(a.key());
            }
        }
        return keys;
    }

    /** The first state (by number) whose image fails {@code recovery}, or null; {@code failing[0]} counts them. */
    StatePlan firstFailing(BiPredicate<StatePlan, TreeImage> recovery, int[] failing) {
        StatePlan first = null;
        for (StatePlan s : plan.states()) {
            if (!recovery.test(s, image(s))) {
                failing[0]++;
                if (first == null) {
                    first = s;
                }
            }
        }
        return first;
    }

    String explain(StatePlan s) {
        return new DurabilityCheck(planner, settings.atomicWrite()).explain(plan, s, null);
    }

    String seedLine() {
        return "seed " + io.staleguard.device.Seeds.hex(settings.seed()) + ", model " + settings.model();
    }
}
