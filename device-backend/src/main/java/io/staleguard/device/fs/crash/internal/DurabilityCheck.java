package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.Violation;
import io.staleguard.device.fs.crash.CrashExplanation;
import io.staleguard.device.fs.crash.CrashPointInfo;
import io.staleguard.device.fs.crash.MissingPersistence;
import io.staleguard.device.fs.crash.VolatileOperation;
import io.staleguard.device.fs.crash.internal.LogRecord.ClaimRec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks every claim of a log over every planned state whose point it binds: one {@link
 * io.staleguard.device.ViolationKind#DURABILITY} violation per lost claim, for the first state that loses it, its
 * detail counting the states that lose it and explaining the first.
 */
public final class DurabilityCheck {

    private final CrashStatePlanner planner;
    private final int unit;

    public DurabilityCheck(CrashStatePlanner planner, int unit) {
        this.planner = planner;
        this.unit = unit;
    }

    /** The violations over {@code plan}, in claim order. */
    public List<Violation> run(CrashLog log, CrashPlan plan) {
        return run(log, plan, new java.util.IdentityHashMap<>());
    }

    /** The violations over {@code plan}, in claim order; {@code stateOf} receives each one's first losing state. */
    public List<Violation> run(CrashLog log, CrashPlan plan, java.util.Map<Violation, Integer> stateOf) {
        return run(log, plan, stateOf, new java.util.IdentityHashMap<>());
    }

    /**
     * The violations over {@code plan}, in claim order; {@code stateOf} receives each one's first losing state and
     * {@code explanations} that state's explanation.
     */
    public List<Violation> run(CrashLog log, CrashPlan plan, java.util.Map<Violation, Integer> stateOf,
                               java.util.Map<Violation, CrashExplanation> explanations) {
        ClaimChecker checker = new ClaimChecker(log, planner.images());
        List<Violation> out = new ArrayList<>();
        for (ClaimRec claim : checker.claims()) {
            ClaimChecker.Loss first = null;
            StatePlan firstState = null;
            int losing = 0;
            for (StatePlan s : plan.states()) {
                if (!checker.active(claim, s.point().point())) {
                    continue;
                }
                VolatileSet set = plan.setOf(s);
                Optional<ClaimChecker.Loss> loss = checker.check(claim,
                        planner.images().build(set.resolve(s.choices())), s.index());
                if (loss.isPresent()) {
                    losing++;
                    if (first == null) {
                        first = loss.get();
                        firstState = s;
                    }
                }
            }
            if (first != null) {
                CrashExplanation why = explanation(plan, firstState, claim);
                Violation v = checker.violation(first, CrashText.claimLost(losing, plan.states().size()) + why.text());
                out.add(v);
                stateOf.put(v, firstState.index());
                explanations.put(v, why);
            }
        }
        return out;
    }

    /** The explanation of state {@code s}, the claim's missing operation first when it has one. */
    public String explain(CrashPlan plan, StatePlan s, ClaimRec claim) {
        return explanation(plan, s, claim).text();
    }

    /** The explanation of state {@code s} as data, the claim's missing operation first when it has one. */
    public CrashExplanation explanation(CrashPlan plan, StatePlan s, ClaimRec claim) {
        VolatileSet set = plan.setOf(s);
        MissingSync ms = new MissingSync(set, s.choices(), planner.images(), unit);
        List<MissingPersistence> missing = new ArrayList<>();
        if (claim != null) {
            ms.forClaim(claim).ifPresent(missing::add);
        }
        for (MissingPersistence m : ms.missingOps()) {
            if (missing.stream().noneMatch(x -> x.text().equals(m.text()))) {
                missing.add(m);
            }
        }
        MissingSync.Fates fates = ms.classify();
        List<String> fateLines = new ArrayList<>();
        fateLines.add(CrashText.fateCounts(fates.kept(), fates.dropped(), fates.torn()));
        List<VolatileOperation> kept = new ArrayList<>();
        List<VolatileOperation> dropped = new ArrayList<>();
        List<VolatileOperation> torn = new ArrayList<>();
        for (VolatileOperation op : fates.ops()) {
            switch (op.fate()) {
                case KEPT -> kept.add(op);
                case TORN -> torn.add(op);
                case DROPPED, LOST -> dropped.add(op);
            }
            if (op.fate() != VolatileOperation.Fate.KEPT) {
                fateLines.add(op.text());
            }
        }
        String pointLine = CrashText.point(s.index(), set.model(), s.point());
        CrashPointInfo point = pointInfo(plan, set.log(), s.point(), pointLine);
        String text = CrashText.explain(pointLine, fateLines, missing.stream().map(MissingPersistence::text).toList());
        return new CrashExplanation(s.index(), set.model(), point, kept, dropped, torn, missing, fates.kept(),
                fates.dropped(), text);
    }

    /** The public view of crash point {@code p} of {@code plan}. */
    static CrashPointInfo pointInfo(CrashPlan plan, CrashLog log, CrashPoint p, String text) {
        int index = 0;
        while (index < plan.points().size() && plan.points().get(index).point() != p.point()) {
            index++;
        }
        CrashPointInfo.Placement placement = switch (p.kind()) {
            case BEFORE_SYNC -> CrashPointInfo.Placement.BEFORE;
            case END -> CrashPointInfo.Placement.END;
            default -> CrashPointInfo.Placement.AFTER;
        };
        return new CrashPointInfo(index, p.point() - 1, CrashTimeline.crashTime(log, p.point()), placement,
                p.at() == null ? "" : CrashText.op(p.at()), text);
    }
}
