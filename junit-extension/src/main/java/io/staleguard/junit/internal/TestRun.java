package io.staleguard.junit.internal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** The state of one running test: its devices, its rewriters and what the class devices had found before it. */
final class TestRun {

    final long testSeed;
    final long startNanos = System.nanoTime();
    final DeviceScope scope;
    final Map<ManagedDevice, ManagedDevice.Baseline> classBaselines = new IdentityHashMap<>();
    final Map<String, RewriterGroup> rewriters = new java.util.LinkedHashMap<>();
    volatile boolean verdictThrown;
    /** The test's {@code Crash}, made when first injected; null if the test has none. */
    volatile CrashHandle crash;

    TestRun(long testSeed, DeviceScope scope) {
        this.testSeed = testSeed;
        this.scope = scope;
    }

    synchronized List<RewriterGroup> rewriterGroups() {
        return new ArrayList<>(rewriters.values());
    }

    /** Stops every rewriter group; the first failure is thrown after all were stopped. */
    void stopRewriters() {
        FirstFailure<Throwable> failure = new FirstFailure<>();
        for (RewriterGroup g : rewriterGroups()) {
            try {
                g.stop();
            } catch (Throwable t) {
                failure.add(t);
            }
        }
        Throwable first = failure.get();
        if (first instanceof RuntimeException r) {
            throw r;
        }
        if (first instanceof Error e) {
            throw e;
        }
    }
}
