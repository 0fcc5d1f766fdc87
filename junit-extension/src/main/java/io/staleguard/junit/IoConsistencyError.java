package io.staleguard.junit;

import static org.apiguardian.api.API.Status.STABLE;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Thrown after a test whose devices or rewriters recorded violations of a failing kind. The message lists the
 * counts per kind, the first violations with their timelines, and ends with a {@code NOTE: reproduce with:} line.
 */
@API(status = STABLE, since = "0.1.0")
public class IoConsistencyError extends AssertionError {

    private static final long serialVersionUID = 1L;

    private final transient Map<ViolationKind, Long> counts;
    private final transient List<Violation> violations;
    private final String reproduce;

    /**
     * Creates the error.
     *
     * @param message    the full message
     * @param counts     exact counts per kind
     * @param violations the retained violations, first first
     * @param reproduce  the reproduce command
     */
    public IoConsistencyError(String message, Map<ViolationKind, Long> counts, List<Violation> violations,
                              String reproduce) {
        super(message);
        this.counts = Map.copyOf(counts);
        this.violations = List.copyOf(violations);
        this.reproduce = reproduce;
    }

    /** Exact counts per kind. */
    public Map<ViolationKind, Long> counts() {
        return counts;
    }

    /** The retained violations, in the order they were recorded. */
    public List<Violation> violations() {
        return violations;
    }

    /** The reproduce command ({@code mvn test -Dtest=... -Dstaleguard.seed=0x...}). */
    public String reproduceCommand() {
        return reproduce;
    }
}
