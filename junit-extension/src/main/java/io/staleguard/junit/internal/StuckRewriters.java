package io.staleguard.junit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The rewriter threads of one test class that would not stop when their test ended: they ignored the stop flag and
 * an interrupt. Java cannot kill a thread, so the extension keeps them in view instead: the test that started one
 * has failed already (once, naming it), and at the end of the class every one still alive fails the class, named
 * with its test and how long it has outlived it, so none outlives its test unnoticed.
 */
final class StuckRewriters {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(StuckRewriters.class);

    /** One thread that would not stop, and when its test gave up on it. */
    private record Stuck(RewriterWorker thread, String test, long sinceNanos) {
    }

    private final List<Stuck> stuck = new ArrayList<>();

    /** The registry of the class that {@code context} (a test, an invocation or the class itself) belongs to. */
    static StuckRewriters of(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c.getStore(NS).getOrComputeIfAbsent(StuckRewriters.class, k -> new StuckRewriters(),
                StuckRewriters.class);
    }

    /** Records the threads of {@code test} that did not stop. */
    synchronized void add(List<RewriterWorker> threads, String test) {
        long now = System.nanoTime();
        threads.forEach(t -> stuck.add(new Stuck(t, test, now)));
    }

    /**
     * The error naming every recorded thread still alive at the end of the class, or null when all have ended since.
     */
    synchronized AssertionError stillRunning() {
        List<String> alive = new ArrayList<>();
        long now = System.nanoTime();
        for (Stuck s : stuck) {
            if (s.thread().isRunning()) {
                alive.add(s.thread().name() + " (of " + s.test() + ", "
                        + TimeUnit.NANOSECONDS.toMillis(now - s.sinceNanos()) + " ms after its test ended)");
            }
        }
        stuck.clear();
        if (alive.isEmpty()) {
            return null;
        }
        return new AssertionError("rewriter threads still run at the end of the class, ignoring the stop flag and "
                + "interrupts: " + String.join(", ", alive) + "; a rewriter body must return when stop.getAsBoolean() "
                + "is true or when it is interrupted");
    }
}
