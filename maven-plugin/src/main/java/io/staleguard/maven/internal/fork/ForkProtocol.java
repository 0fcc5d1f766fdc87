package io.staleguard.maven.internal.fork;

/**
 * The exit codes and line prefixes by which the forked soak JVM talks to the {@code soak} goal.
 */
public final class ForkProtocol {

    /** The whole budget ran (violations or not). */
    public static final int EXIT_COMPLETE = 0;
    /** A configuration error found in the fork (an unknown preset, say); its line starts with {@link #CONFIG_ERROR}. */
    public static final int EXIT_CONFIG = 2;
    /** Stopped by SIGINT (128 + 2): a partial summary was written. */
    public static final int EXIT_SIGINT = 130;
    /** Stopped by SIGTERM (128 + 15): a partial summary was written. */
    public static final int EXIT_SIGTERM = 143;

    /**
     * The system property by which the {@code soak} goal names its own pid to the fork, which stops (writing an
     * {@code INTERRUPTED} summary, releasing its devices) when that process is gone.
     */
    public static final String PARENT_PID = "staleguard.fork.parentPid";

    /** Prefix of the one-line configuration error. */
    public static final String CONFIG_ERROR = "STALEGUARD-CONFIG-ERROR: ";
    /** Prefix of warning lines. */
    public static final String WARN = "WARN: ";
    /** Prefix of error lines. */
    public static final String ERROR = "ERROR: ";

    private ForkProtocol() {
    }
}
