package io.staleguard.junit.internal;

/**
 * One rewriter body running on a thread of its own: what {@link RewriterGroup} waits for, interrupts and, if it will
 * not stop, hands to {@link StuckRewriters}. Either a thread made for the body ({@link DedicatedWorker}) or a thread
 * lent by {@link RewriterThreadPool}.
 */
interface RewriterWorker {

    /** The thread's name while it runs the body ({@code staleguard-rewriter-<test>-<index>}). */
    String name();

    /** Whether the body is still running (or has not begun yet). */
    boolean isRunning();

    /** Interrupts the body's thread if the body is still running; a body that has ended is left alone. */
    void interrupt();

    /**
     * Waits until the body has ended or {@code deadlineNanos} ({@link System#nanoTime()}) has passed.
     *
     * @return whether the body has ended
     * @throws InterruptedException if the waiting thread is interrupted
     */
    boolean awaitEnd(long deadlineNanos) throws InterruptedException;
}
