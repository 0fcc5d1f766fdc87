package io.staleguard.junit.internal;

import java.util.concurrent.TimeUnit;

/**
 * A rewriter body on a thread made for it alone, which ends with the body. User-supplied bodies
 * ({@code RewriterThreads.run}) get one: their thread-locals and thread state must not carry over from another test's
 * body, or a test would behave differently alone and in its suite.
 */
final class DedicatedWorker implements RewriterWorker {

    private final Thread thread;

    private DedicatedWorker(Thread thread) {
        this.thread = thread;
    }

    /** Starts {@code body} on a new daemon thread named {@code name}. */
    static DedicatedWorker start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return new DedicatedWorker(t);
    }

    @Override
    public String name() {
        return thread.getName();
    }

    @Override
    public boolean isRunning() {
        return thread.isAlive();
    }

    @Override
    public void interrupt() {
        thread.interrupt();
    }

    @Override
    public boolean awaitEnd(long deadlineNanos) throws InterruptedException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (left > 0) {
            thread.join(left);
        }
        return !thread.isAlive();
    }
}
