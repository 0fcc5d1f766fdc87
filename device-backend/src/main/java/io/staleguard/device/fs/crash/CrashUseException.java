package io.staleguard.device.fs.crash;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A crash exploration used out of order: {@link CrashExplorer#explore} twice, an acknowledgement outside the
 * recorded workload, or a workload that never touched the filesystem. {@link #problem()} says which, so a caller
 * (the JUnit extension) turns it into its own error without reading the message.
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class CrashUseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** What was used out of order. */
    public enum Problem {
        /** {@code explore} was called again after an exploration ran: one explorer explores one workload. */
        EXPLORED_TWICE,
        /** An acknowledgement or {@code explore} came while nothing was recording (before arming, after abandon). */
        NOT_RECORDING,
        /**
         * The workload wrote, created, renamed, deleted, truncated and synced nothing: there is no crash state to
         * explore.
         */
        NOTHING_RECORDED
    }

    private final Problem problem;

    /** A use error of kind {@code problem}, explained by {@code message}. */
    public CrashUseException(Problem problem, String message) {
        super(message);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** What was used out of order. */
    public Problem problem() {
        return problem;
    }
}
