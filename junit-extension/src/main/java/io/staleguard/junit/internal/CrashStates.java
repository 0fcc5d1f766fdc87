package io.staleguard.junit.internal;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.fs.crash.CrashExplanation;
import io.staleguard.device.fs.crash.CrashModel;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The crash states a test's crash violations replay with, for the reproduce line and the report.
 *
 * @param model      the crash model explored, or null when the test explored nothing
 * @param violations each crash violation with its state, in recording order
 */
public record CrashStates(CrashModel model, List<ExplorationEngine.StatedViolation> violations) {

    /** A test that explored nothing. */
    public static final CrashStates NONE = new CrashStates(null, List.of());

    public CrashStates {
        violations = List.copyOf(violations);
    }

    /**
     * The state that replays {@code v}: by identity, else by kind, actual and detail (a recorder may hand out a
     * copy that carries the file location, its detail naming it).
     */
    public OptionalInt stateOf(Violation v) {
        ExplorationEngine.StatedViolation s = find(v);
        return s == null ? OptionalInt.empty() : OptionalInt.of(s.state());
    }

    /** The explanation of the state {@code v} was found in, matched as {@link #stateOf} matches. */
    public Optional<CrashExplanation> explanationOf(Violation v) {
        ExplorationEngine.StatedViolation s = find(v);
        return s == null ? Optional.empty() : Optional.ofNullable(s.explanation());
    }

    private ExplorationEngine.StatedViolation find(Violation v) {
        for (ExplorationEngine.StatedViolation s : violations) {
            if (s.violation() == v) {
                return s;
            }
        }
        for (ExplorationEngine.StatedViolation s : violations) {
            Violation w = s.violation();
            if (w.kind() == v.kind() && Objects.equals(w.actual(), v.actual()) && sameDetail(w, v)) {
                return s;
            }
        }
        return null;
    }

    /** The same detail, or {@code recorded}'s is {@code found}'s located in a file by the recorder. */
    private static boolean sameDetail(Violation found, Violation recorded) {
        String d = recorded.detail();
        return Objects.equals(found.detail(), d) || recorded.location() != null && found.location() == null
                && d.equals(found.locatedAt(recorded.location()).detail());
    }

    /** The state of the first crash violation whose kind fails the test, if any. */
    OptionalInt firstFailing(List<Violation> recorded, Set<ViolationKind> failOn) {
        for (Violation v : recorded) {
            if (failOn.contains(v.kind())) {
                OptionalInt s = stateOf(v);
                if (s.isPresent()) {
                    return s;
                }
            }
        }
        for (ExplorationEngine.StatedViolation s : violations) {
            if (failOn.contains(s.violation().kind())) {
                return OptionalInt.of(s.state());
            }
        }
        return OptionalInt.empty();
    }
}
