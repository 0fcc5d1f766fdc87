package io.staleguard.device.fs.crash;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The crash state to replay ({@link CrashSettings#replayState()}, set by {@code staleguard.crashState}) is not in
 * the plan of this workload: the plan has fewer states under its budget. The message names the property, the
 * state and the plan's size.
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class CrashStateNotPlannedException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int state;
    private final int planned;
    private final int budget;

    /** State {@code state} asked for, {@code planned} states planned under {@code budget}. */
    public CrashStateNotPlannedException(int state, int planned, int budget) {
        super("staleguard.crashState=" + state + ", but this workload has only " + planned
                + " states under its budget of " + budget);
        this.state = state;
        this.planned = planned;
        this.budget = budget;
    }

    /** The state asked for. */
    public int state() {
        return state;
    }

    /** How many states the plan has. */
    public int planned() {
        return planned;
    }

    /** The budget the plan was made under. */
    public int budget() {
        return budget;
    }
}
