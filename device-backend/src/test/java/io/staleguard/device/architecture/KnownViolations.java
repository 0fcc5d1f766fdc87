package io.staleguard.device.architecture;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The assertion behind every structure rule: what a rule finds must be exactly its allow-list of known
 * violations. A new violation fails the build; so does a fixed one still on the list, so that the lists only
 * shrink.
 */
public final class KnownViolations {

    private KnownViolations() {
    }

    /** Fails with every new violation (and its evidence) and every listed one that no longer occurs. */
    public static void assertExactly(String rule, Map<String, String> found, Set<String> known) {
        Set<String> added = new TreeSet<>(found.keySet());
        added.removeAll(known);
        Set<String> gone = new TreeSet<>(known);
        gone.removeAll(found.keySet());
        if (added.isEmpty() && gone.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder(rule);
        if (!added.isEmpty()) {
            message.append("\n  new violations (fix them; do not list them):")
                    .append(added.stream().map(k -> "\n    \"" + k + "\"   [" + found.get(k) + "]").collect(Collectors.joining()));
        }
        if (!gone.isEmpty()) {
            message.append("\n  fixed, so remove them from the allow-list:")
                    .append(gone.stream().map(k -> "\n    \"" + k + "\"").collect(Collectors.joining()));
        }
        throw new AssertionError(message.toString());
    }
}
