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
    private static final Map<String, Integer> LAYERS = Map.of(
            "io.staleguard.device", 0,
            "io.staleguard.device.integrity", 1,
            "io.staleguard.device.oracle", 1,
            "io.staleguard.device.hooks", 1,
            "io.staleguard.device.internal", 2,
            "io.staleguard.device.sim", 3,
            "io.staleguard.device.file", 3,
            "io.staleguard.device.loop", 3,
            "io.staleguard.device.channels", 3,
            "io.staleguard.device.sim.kernel", 4);

    /** Package references that go up the layers. To be emptied by issue #10. */
    private static final Set<String> KNOWN_UPWARD_REFERENCES = Set.of(
            "device -> device.integrity",
            "device.internal -> device.sim",
            "device.sim -> device.sim.kernel");

    /**
     * Package-graph edges inside a cycle through the verifying core or a sim package. To be emptied by issue #10.
     *
     * <p>While the verifying core lives in {@code device.internal} it is one unit with the vocabulary, so hooks,
     * integrity and oracle, which the core uses and which use the vocabulary, close a cycle with it even once
     * {@link #KNOWN_UPWARD_REFERENCES} is empty: the core needs a package of its own.
     */
    private static final Set<String> KNOWN_CYCLE_EDGES = Set.of(
            "device -> device.hooks",
            "device -> device.oracle",
            "device -> device.sim",
            "device.hooks -> device",
            "device.oracle -> device",
            "device.sim -> device",
            "device.sim -> device.sim.kernel",
            "device.sim.kernel -> device",
            "device.sim.kernel -> device.hooks",
            "device.sim.kernel -> device.oracle",
            "device.sim.kernel -> device.sim");

    /** Public signatures that name an internal type. To be emptied by issue #10. */
    private static final Set<String> KNOWN_INTERNAL_LEAKS = Set.of(
            "device.file.RealBlockDevice#<init> -> device.file.internal.PosixMedia",
            "device.file.RealBlockDevice#<init> -> device.internal.DeviceSettings",
            "device.file.RealBlockDevice#extends -> device.internal.VerifyingBlockDevice",
            "device.file.RealBlockDevice#transferThroughPath -> device.internal.IoOp",
            "device.file.RealDeviceBuilder#settings -> device.internal.DeviceSettings",
            "device.sim.IoPath#submitted -> device.internal.IoOp",
            "device.sim.IoPath#transfer -> device.internal.IoOp",
            "device.sim.SimulatedDevice#extends -> device.internal.VerifyingBlockDevice",
            "device.sim.SimulatedDevice#landingOffset -> device.internal.IoOp",
            "device.sim.SimulatedDevice#submittedToPath -> device.internal.IoOp",
            "device.sim.SimulatedDevice#transferThroughPath -> device.internal.IoOp",
            "device.sim.kernel.KernelIoPath#submitted -> device.internal.IoOp",
            "device.sim.kernel.KernelIoPath#transfer -> device.internal.IoOp");

    /** Simple names of device-backend main classes that another main class shares. To be emptied by issue #10. */
    private static final Set<String> KNOWN_DUPLICATE_NAMES = Set.of();

    /** Seed-file and machine-path citations in device-backend's main sources and in the docs. To be emptied by issue #10. */
    private static final Set<String> KNOWN_CITATIONS = Set.of(
            "docs/USER-GUIDE.md: 000_*",
            "docs/USER-GUIDE.md: 001_*",
            "docs/USER-GUIDE.md: 002_*");

    /** The verifying core's unit (the vocabulary package with its internal half) and every sim package. */
    private static boolean guarded(String unit) {
        return unit.equals("io.staleguard.device") || unit.equals("io.staleguard.device.sim") || unit.startsWith("io.staleguard.device.sim.");
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
