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
            "device -> device.integrity",
            "device -> device.oracle",
            "device -> device.sim",
            "device.hooks -> device",
            "device.integrity -> device",
            "device.oracle -> device",
            "device.sim -> device",
            "device.sim -> device.integrity",
            "device.sim -> device.sim.kernel",
            "device.sim.kernel -> device",
            "device.sim.kernel -> device.hooks",
            "device.sim.kernel -> device.integrity",
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
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/AsyncWriteCompletion.java: 004_*",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/AsyncWriteCompletion.java: 8714f76da0055fb5.txt",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/AsyncWriteCompletion.java: eb70b451b4d70bdc.txt",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/CompletionListOrder.java: 8714f76da0055fb5.txt",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/DaxFaultGate.java: eb30165f8c1bb9f3.txt",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/DaxFaultLocking.java: eb30165f8c1bb9f3.txt",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/DirectWriteInvalidation.java: 8714f76da0055fb5.txt",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/Hazard.java: /work/",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/Hazard.java: 636812bd86673f72.txt",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/Hazard.java: 7f1e3ee4c3ed8ba9.txt",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/Hazard.java: 8714f76da0055fb5.txt",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/Hazard.java: eb30165f8c1bb9f3.txt",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/Hazard.java: eb70b451b4d70bdc.txt",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/Hazard.java: shared/seeds",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/HazardsDoc.java: /work/",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/HazardsDoc.java: shared/seeds",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/KernelConfig.java: /work/",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/KernelConfig.java: 000_*",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/KernelConfig.java: 001_*",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/KernelConfig.java: 002_*",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/KernelConfig.java: 003_*",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/KernelConfig.java: 004_*",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/KernelConfig.java: shared/seeds",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/KernelPreset.java: /work/",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/KernelPreset.java: 636812bd86673f72.txt",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/KernelPreset.java: 7f1e3ee4c3ed8ba9.txt",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/KernelPreset.java: 8714f76da0055fb5.txt",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/KernelPreset.java: eb30165f8c1bb9f3.txt",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/KernelPreset.java: shared/seeds",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/PartialDirectRead.java: 7f1e3ee4c3ed8ba9.txt",
            "device-backend/src/main/java/io/staleguard/device/sim/kernel/StablePages.java: 636812bd86673f72.txt",
            "docs/HAZARDS.md: /work/",
            "docs/HAZARDS.md: 636812bd86673f72.txt",
            "docs/HAZARDS.md: 7f1e3ee4c3ed8ba9.txt",
            "docs/HAZARDS.md: 8714f76da0055fb5.txt",
            "docs/HAZARDS.md: eb30165f8c1bb9f3.txt",
            "docs/HAZARDS.md: eb70b451b4d70bdc.txt",
            "docs/HAZARDS.md: shared/seeds",
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
