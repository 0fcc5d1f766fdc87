package io.staleguard.device.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a module's compiled main classes and the project's sources are, seen from a module's test run (Surefire
 * runs tests in the module's directory and says so in {@code basedir}).
 */
public final class ProjectLayout {

    /** The modules whose main classes share one namespace of simple names. */
    public static final List<String> PRODUCT_MODULES = List.of("device-backend", "junit-extension", "maven-plugin");

    private final Path moduleDir;
    private final Path rootDir;

    private ProjectLayout(Path moduleDir, Path rootDir) {
        this.moduleDir = moduleDir;
        this.rootDir = rootDir;
    }

    /** The layout of the module whose tests are running. */
    public static ProjectLayout ofRunningModule() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        Path root = module;
        while (root != null && !Files.isRegularFile(root.resolve("device-backend/pom.xml"))) {
            root = root.getParent();
        }
        if (root == null) {
            throw new IllegalStateException("no project root above " + module);
        }
        return new ProjectLayout(module, root);
    }

    public Path moduleDir() {
        return moduleDir;
    }

    public Path rootDir() {
        return rootDir;
    }

    /** The running module's compiled main classes. */
    public Path mainClasses() {
        return moduleDir.resolve("target/classes");
    }

    /** A module's main sources, code and resources. */
    public Path mainSources(String module) {
        return rootDir.resolve(module).resolve("src/main");
    }

    /** The docs a user reads: docs/*.md and README.md. */
    public List<Path> docs() {
        try (Stream<Path> files = Files.list(rootDir.resolve("docs"))) {
            return Stream.concat(files.filter(p -> p.toString().endsWith(".md")), Stream.of(rootDir.resolve("README.md")))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The path relative to the project root, with forward slashes: the form allow-lists spell. */
    public String relative(Path path) {
        return rootDir.relativize(path.toAbsolutePath()).toString().replace('\\', '/');
    }

    /** The classes under a class-output directory, loaded without initialising them. */
    public static List<Class<?>> loadClasses(Path classesDir, ClassLoader loader) {
        return classNames(classesDir).stream().<Class<?>>map(name -> {
            try {
                return Class.forName(name, false, loader);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /**
     * Binary names of the classes under a class-output directory, {@code module-info} and {@code package-info}
     * excluded, and so are a multi-release jar's versioned classes ({@code META-INF/versions/N}, built on JDK 22+):
     * each replaces a base class of the same name, which is the one checked.
     */
    public static List<String> classNames(Path classesDir) {
        try (Stream<Path> files = Files.walk(classesDir)) {
            return files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> classesDir.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> !n.startsWith("META-INF/"))
                    .filter(n -> !n.endsWith("module-info.class") && !n.endsWith("package-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
