package io.staleguard.device.architecture;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * References that go up the layers: a class may refer to classes of its own layer and of the layers below
 * (lower numbers), never above. Each package gets the layer of the longest prefix of its name in the table, so
 * that a new package must be placed before it can be used.
 */
public final class LayerViolations {

    private LayerViolations() {
    }

    /**
     * The upward references among the given classes, and the packages the table does not place, as
     * {@code "from.package -> to.package"} and {@code "from.package: no layer"} (names with {@code io.staleguard.}
     * cut off), each mapped to one class reference that shows it. Classes outside {@code references}' keys are
     * ignored: another module's layering is its own test's business.
     */
    public static Map<String, String> of(Map<String, Set<String>> references, Map<String, Integer> layers) {
        Map<String, String> found = new TreeMap<>();
        references.forEach((from, targets) -> {
            String fromPackage = ClassReferences.packageOf(from);
            Integer fromLayer = layerOf(fromPackage, layers);
            if (fromLayer == null) {
                found.putIfAbsent(PackageCycles.shortName(fromPackage) + ": no layer", PackageCycles.shortName(from));
                return;
            }
            for (String to : targets) {
                String toPackage = ClassReferences.packageOf(to);
                Integer toLayer = references.containsKey(to) ? layerOf(toPackage, layers) : null;
                if (toLayer != null && toLayer > fromLayer) {
                    found.putIfAbsent(PackageCycles.shortName(fromPackage) + " -> " + PackageCycles.shortName(toPackage),
                            PackageCycles.shortName(from) + " -> " + PackageCycles.shortName(to));
                }
            }
        });
        return found;
    }

    static Integer layerOf(String pkg, Map<String, Integer> layers) {
        for (String p = pkg; !p.isEmpty(); p = p.contains(".") ? p.substring(0, p.lastIndexOf('.')) : "") {
            Integer layer = layers.get(p);
            if (layer != null) {
                return layer;
            }
        }
        return null;
    }
}
