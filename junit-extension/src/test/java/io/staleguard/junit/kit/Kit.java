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
