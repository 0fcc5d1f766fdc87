package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.Violation;
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
                Violation v = checker.violation(first, CrashText.claimLost(losing, plan.states().size())
                        + explain(plan, firstState, claim));
                out.add(v);
                stateOf.put(v, firstState.index());
            }
        }
        return out;
    }

    /** The explanation of state {@code s}, the claim's missing operation first when it has one. */
    public String explain(CrashPlan plan, StatePlan s, ClaimRec claim) {
        VolatileSet set = plan.setOf(s);
        MissingSync ms = new MissingSync(set, s.choices(), planner.images(), unit);
        List<String> missing = new ArrayList<>();
        if (claim != null) {
            ms.forClaim(claim).ifPresent(missing::add);
        }
        for (String m : ms.missing()) {
            if (!missing.contains(m)) {
                missing.add(m);
            }
        }
        return CrashText.explain(CrashText.point(s.index(), set.model(), s.point()), ms.fates(), missing);
    }
}
