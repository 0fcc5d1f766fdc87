package io.staleguard.device.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The class-to-class references of the classes under a class-output directory, read once from their class files. */
public final class ClassReferences {

    private ClassReferences() {
    }

    /** Each class of the directory mapped to the binary names of every class it refers to. */
    public static Map<String, Set<String>> of(Path classesDir) {
        Map<String, Set<String>> references = new TreeMap<>();
        for (String name : ProjectLayout.classNames(classesDir)) {
            try {
                references.put(name, ClassFileReferences.of(Files.readAllBytes(classesDir.resolve(name.replace('.', '/') + ".class"))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return references;
    }

    static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }
}
