package io.staleguard.device;

import io.staleguard.device.architecture.ClassReferences;
import io.staleguard.device.architecture.DuplicateSimpleNames;
import io.staleguard.device.architecture.ForbiddenCitations;
import io.staleguard.device.architecture.InternalTypeLeaks;
import io.staleguard.device.architecture.KnownViolations;
import io.staleguard.device.architecture.LayerViolations;
import io.staleguard.device.architecture.PackageCycles;
import io.staleguard.device.architecture.ProjectLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The structure rules of docs/ARCHITECTURE.md for device-backend, read from its compiled classes and the
 * project's sources. Each rule compares what it finds with an allow-list of the violations known when the rule
 * was written: new ones fail, and so do listed ones that are gone.
 */
class ArchitectureTest {

    private static final ProjectLayout LAYOUT = ProjectLayout.ofRunningModule();

    /**
     * The layers of docs/ARCHITECTURE.md, bottom up: a package may use its own layer and those below. A package
     * takes the layer of its longest listed prefix, so {@code sim.kernel.internal} is the simulated kernel.
     */
    private static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry("io.staleguard.device", 0),
            // Integrity is a leaf (it uses nothing of Staleguard's), and the vocabulary names its ProtectionFormat.
            Map.entry("io.staleguard.device.integrity", 0),
            Map.entry("io.staleguard.device.oracle", 1),
            Map.entry("io.staleguard.device.hooks", 1),
            Map.entry("io.staleguard.device.core", 2),
            Map.entry("io.staleguard.device.sim", 3),
            Map.entry("io.staleguard.device.file", 3),
            Map.entry("io.staleguard.device.loop", 3),
            Map.entry("io.staleguard.device.channels", 3),
            Map.entry("io.staleguard.device.sim.kernel", 4),
            Map.entry("io.staleguard.device.soak", 5),
            // The simulated filesystem sits on the simulated device, and later on the kernel's page-cache model.
            Map.entry("io.staleguard.device.fs", 5),
            // Crash exploration resets the simulated filesystem and its device to crash states: above both.
            Map.entry("io.staleguard.device.fs.crash", 6));

    /** Package references that go up the layers: none since issue #10. */
    private static final Set<String> KNOWN_UPWARD_REFERENCES = Set.of();

    /**
     * Package-graph edges inside a cycle through the verifying core or a sim package. Empty since issue #10: a new entry needs a reason.
     * The verifying core lives in {@code device.core}, apart from the vocabulary, and integrity no longer uses
     * the vocabulary: none is left.
     */
    private static final Set<String> KNOWN_CYCLE_EDGES = Set.of();

    /** Public signatures that name an internal type. Empty since issue #10: a new entry needs a reason. */
    private static final Set<String> KNOWN_INTERNAL_LEAKS = Set.of();

    /** Simple names of device-backend main classes that another main class shares. Empty since issue #10: a new entry needs a reason. */
    private static final Set<String> KNOWN_DUPLICATE_NAMES = Set.of();

    /** Seed-file and machine-path citations in device-backend's main sources and in the docs. Empty since issue #10: a new entry needs a reason. */
    private static final Set<String> KNOWN_CITATIONS = Set.of();

    /** The vocabulary, the verifying core (each with its internal half) and every sim package. */
    private static boolean guarded(String unit) {
        return unit.equals("io.staleguard.device") || unit.equals("io.staleguard.device.core")
                || unit.equals("io.staleguard.device.sim") || unit.startsWith("io.staleguard.device.sim.");
    }

    @Test
    void noPackageCycleIncludesTheVerifyingCoreOrASimPackage() {
        KnownViolations.assertExactly("package cycles through the verifying core or a sim package",
                PackageCycles.ofClasses(LAYOUT.mainClasses()).edgesInCyclesThrough(ArchitectureTest::guarded),
                KNOWN_CYCLE_EDGES);
    }

    @Test
    void eachLayerUsesOnlyItsOwnAndTheLayersBelow() {
        KnownViolations.assertExactly("references up the layers",
                LayerViolations.of(ClassReferences.of(LAYOUT.mainClasses()), LAYERS), KNOWN_UPWARD_REFERENCES);
    }

    @Test
    void noPublicSignatureNamesAnInternalType() {
        KnownViolations.assertExactly("internal types in public or protected signatures",
                InternalTypeLeaks.ofClasses(LAYOUT.mainClasses(), getClass().getClassLoader()),
                KNOWN_INTERNAL_LEAKS);
    }

    @Test
    void noTwoMainClassesShareASimpleName() {
        KnownViolations.assertExactly("main classes that share a simple name",
                DuplicateSimpleNames.involving("device-backend", LAYOUT), KNOWN_DUPLICATE_NAMES);
    }

    @Test
    void noMainSourceOrDocCitesASeedFileOrAMachinePath() {
        List<Path> roots = new ArrayList<>(LAYOUT.docs());
        roots.add(LAYOUT.mainSources("device-backend"));
        roots.add(LAYOUT.mainSources("benchmarks"));
        KnownViolations.assertExactly("seed-file or machine-path citations",
                ForbiddenCitations.in(roots, LAYOUT), KNOWN_CITATIONS);
    }
}
