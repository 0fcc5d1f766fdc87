package io.staleguard.device.fs.crash;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.Violation;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The result of one {@link CrashExplorer#explore exploration}. The violations are recorded on the device's
 * recorder as well; this list is the exploration's own, in the order it found them.
 *
 * @param planned        the distinct states the plan holds (at most the budget, phase 0 aside)
 * @param explored       the states whose recovery ran (one when a state is replayed)
 * @param skipped        the states whose recovery aborted (an assumption failed)
 * @param distinctPoints the crash points the plan's states fall at
 * @param violations     DURABILITY and CRASH_RECOVERY violations, one per lost claim or failure signature
 * @param stateOf        for each violation (by identity), the number of the state that replays it
 * @param explanations   for each violation (by identity), the explanation of that state as data
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record CrashOutcome(int planned, int explored, int skipped, int distinctPoints, List<Violation> violations,
                           Map<Violation, Integer> stateOf, Map<Violation, CrashExplanation> explanations) {

    public CrashOutcome {
        violations = List.copyOf(violations);
        Map<Violation, Integer> copy = new IdentityHashMap<>(stateOf);
        stateOf = Collections.unmodifiableMap(copy);
        Map<Violation, CrashExplanation> why = new IdentityHashMap<>(explanations);
        explanations = Collections.unmodifiableMap(why);
    }

    /** An outcome whose violations carry no explanation as data. */
    public CrashOutcome(int planned, int explored, int skipped, int distinctPoints, List<Violation> violations,
                        Map<Violation, Integer> stateOf) {
        this(planned, explored, skipped, distinctPoints, violations, stateOf, Map.of());
    }

    /** The explanation of the state {@code v} was found in, if {@code v} is one of this outcome's. */
    public Optional<CrashExplanation> explanationOf(Violation v) {
        return Optional.ofNullable(explanations.get(v));
    }

    /** The state that replays {@code v}, or -1 when {@code v} is not one of this outcome's. */
    public int stateOf(Violation v) {
        Integer n = stateOf.get(v);
        return n == null ? -1 : n;
    }

    /** The state of the first violation (what a reproduce line names), or -1 when there is none. */
    public int firstFailingState() {
        return violations.isEmpty() ? -1 : stateOf(violations.get(0));
    }
}
