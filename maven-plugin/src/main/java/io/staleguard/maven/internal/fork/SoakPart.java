package io.staleguard.maven.internal.fork;

/**
 * One of the things a soak spends its budget on.
 */
interface SoakPart {

    /** Prepares (discovers tests, checks the backend); returns whether there is anything to run. */
    boolean prepare(SoakContext ctx) throws Exception;

    /** One line for the budget statement: what runs. */
    String describe();

    /** One line for the budget statement: why this part gets budget (whose code it tests). */
    default String why() {
        return "";
    }

    /** Runs until {@code deadlineNanos} (a {@link System#nanoTime()} value) or until {@link SoakContext#stop}. */
    void run(SoakContext ctx, long deadlineNanos) throws Exception;
}
