package io.staleguard.device.architecture;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * References from one module's classes to another module's {@code internal} packages: a module uses its
 * dependencies through their exported (non-internal) packages only.
 */
public final class ForeignInternalReferences {

    private ForeignInternalReferences() {
    }

    /**
     * The references of the given classes to internal classes whose package does not start with
     * {@code ownPrefix}, as {@code "from.Class -> to.Class"} (names with {@code io.staleguard.} cut off).
     */
    public static Map<String, String> of(Map<String, Set<String>> references, String ownPrefix) {
        Map<String, String> found = new TreeMap<>();
        references.forEach((from, targets) -> {
            for (String to : targets) {
                String pkg = ClassReferences.packageOf(to);
                boolean internal = pkg.endsWith(".internal") || pkg.contains(".internal.");
                if (internal && pkg.startsWith("io.staleguard.") && !pkg.startsWith(ownPrefix)) {
                    found.put(PackageCycles.shortName(from) + " -> " + PackageCycles.shortName(to), from + " refers to " + to);
                }
            }
        });
        return found;
    }
}
