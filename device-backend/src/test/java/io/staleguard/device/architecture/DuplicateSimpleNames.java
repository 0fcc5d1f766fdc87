package io.staleguard.device.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Top-level main classes of the product modules that share a simple name. They are read from source file names,
 * so a module sees its siblings' classes without depending on them. Nested types are left out: {@code Builder}
 * nested in two classes is read with its owner's name and confuses nobody.
 */
public final class DuplicateSimpleNames {

    private DuplicateSimpleNames() {
    }

    /**
     * The simple names that two or more of the modules' main classes share, where at least one of them is in
     * {@code module}, each mapped to the files that declare it.
     */
    public static Map<String, String> involving(String module, ProjectLayout layout) {
        Map<String, List<String>> byName = new TreeMap<>();
        for (String m : ProjectLayout.PRODUCT_MODULES) {
            Path java = layout.mainSources(m).resolve("java");
            if (!Files.isDirectory(java)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(java)) {
                files.filter(p -> p.toString().endsWith(".java"))
                        .filter(p -> !p.getFileName().toString().contains("-info"))
                        .sorted()
                        .forEach(p -> {
                            String file = p.getFileName().toString();
                            byName.computeIfAbsent(file.substring(0, file.length() - ".java".length()), k -> new ArrayList<>())
                                    .add(layout.relative(p));
                        });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String prefix = module + "/";
        return byName.entrySet().stream()
                .filter(e -> e.getValue().size() > 1 && e.getValue().stream().anyMatch(p -> p.startsWith(prefix)))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> String.join(", ", e.getValue()), (a, b) -> a, TreeMap::new));
    }
}
