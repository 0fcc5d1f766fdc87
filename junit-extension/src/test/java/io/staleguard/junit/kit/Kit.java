package io.staleguard.junit.kit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs sample test classes through the Jupiter engine, as a user's build would. */
public final class Kit {

    /** The fixed master seed of kit runs, so their outcomes are reproducible. */
    public static final String SEED = "0x5eed";

    private Kit() {
    }

    /** The throwable of each failed test, rendered, for assertion messages. */
    public static String failures(EngineExecutionResults r) {
        StringBuilder sb = new StringBuilder();
        for (org.junit.platform.testkit.engine.Event e : r.allEvents().failed().list()) {
            e.getPayload(org.junit.platform.engine.TestExecutionResult.class).flatMap(x -> x.getThrowable())
                    .ifPresent(t -> {
                        java.io.StringWriter w = new java.io.StringWriter();
                        t.printStackTrace(new java.io.PrintWriter(w));
                        sb.append(e.getTestDescriptor().getDisplayName()).append(": ").append(w).append('\n');
                    });
        }
        return sb.toString();
    }

    /** The throwable a failed test of the run ended with. */
    public static Throwable failure(EngineExecutionResults r, String displayNamePrefix) {
        return r.testEvents().failed().list().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().startsWith(displayNamePrefix)).findFirst()
                .flatMap(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class))
                .flatMap(x -> x.getThrowable())
                .orElseThrow(() -> new AssertionError("no failed test named " + displayNamePrefix + "...; "
                        + "failures: " + failures(r)));
    }

    /** Asserts the counts of started, succeeded, failed and aborted tests, showing failures when they differ. */
    public static void assertCounts(EngineExecutionResults r, int succeeded, int failed, int aborted) {
        var s = r.testEvents();
        if (s.succeeded().count() != succeeded || s.failed().count() != failed || s.aborted().count() != aborted
                || r.containerEvents().failed().count() != 0) {
            throw new AssertionError("expected " + succeeded + " succeeded, " + failed + " failed, " + aborted
                    + " aborted; got " + s.succeeded().count() + ", " + s.failed().count() + ", "
                    + s.aborted().count() + " (container failures " + r.containerEvents().failed().count()
                    + ")\n" + failures(r));
        }
    }

    /** Runs {@code sample} with a fixed seed, reports under {@code reports}, and extra parameters. */
    public static EngineExecutionResults run(Class<?> sample, Path reports, String... keyValues) {
        Map<String, String> config = new HashMap<>();
        config.put("staleguard.seed", SEED);
        config.put("staleguard.reportDir", reports.toString());
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            config.put(keyValues[i], keyValues[i + 1]);
        }
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).configurationParameters(config)
                .execute();
    }
}
