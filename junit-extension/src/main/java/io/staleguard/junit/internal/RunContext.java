package io.staleguard.junit.internal;

import java.security.SecureRandom;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Run-wide state, kept in the root context's store: the settings and the master seed. A run without
 * {@code staleguard.seed} draws one master seed and prints it once, so any failure can be reproduced.
 *
 * @param settings   the settings
 * @param masterSeed the master seed
 * @param seedGiven  whether the seed came from the configuration
 */
public record RunContext(Settings settings, long masterSeed, boolean seedGiven) {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RunContext.class);

    /** The run's context, made on first use. */
    public static RunContext of(ExtensionContext context) {
        ExtensionContext root = context.getRoot();
        return root.getStore(NS).getOrComputeIfAbsent(RunContext.class, k -> {
            Settings s = Settings.read(root::getConfigurationParameter);
            long seed = s.seed().orElseGet(() -> new SecureRandom().nextLong());
            return new RunContext(s, seed, s.seed().isPresent());
        }, RunContext.class);
    }
}
