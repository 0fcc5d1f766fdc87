package io.staleguard.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.staleguard.device.architecture.ApiMarkers;
import io.staleguard.device.architecture.KnownViolations;
import io.staleguard.device.architecture.ProjectLayout;
import java.lang.annotation.RetentionPolicy;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * device-backend's public API says how stable it is, the way JUnit's does: every public top-level type outside
 * an {@code internal} package carries {@code @API}, and no internal type promises STABLE or EXPERIMENTAL. The
 * statuses themselves are listed in docs/USER-GUIDE.md, "Stable and experimental API".
 */
class ApiMarkersTest {

    private static final ProjectLayout LAYOUT = ProjectLayout.ofRunningModule();

    /**
     * Public types without {@code @API}. To be emptied by issue #10: the simulated kernel is marked once its
     * rewrite has landed, so that the marks do not collide with it.
     */
    private static final Set<String> KNOWN_UNMARKED = Set.of(
            "device.sim.kernel.AsyncWriteCompletion",
            "device.sim.kernel.CompletionListOrder",
            "device.sim.kernel.DaxFaultGate",
            "device.sim.kernel.DaxFaultLocking",
            "device.sim.kernel.DetectionMatrix",
            "device.sim.kernel.DirectWriteInvalidation",
            "device.sim.kernel.Hazard",
            "device.sim.kernel.HazardsDoc",
            "device.sim.kernel.KernelConfig",
            "device.sim.kernel.KernelIoPath",
            "device.sim.kernel.KernelMain",
            "device.sim.kernel.KernelMapping",
            "device.sim.kernel.KernelPreset",
            "device.sim.kernel.PartialDirectRead",
            "device.sim.kernel.Reference",
            "device.sim.kernel.ScenarioResult",
            "device.sim.kernel.ScenarioRunner",
            "device.sim.kernel.StablePages",
            "device.sim.kernel.ThreadedDetection");

    private static List<Class<?>> classes;

    @BeforeAll
    static void loadMainClasses() {
        classes = ProjectLayout.loadClasses(LAYOUT.mainClasses(), ApiMarkersTest.class.getClassLoader());
    }

    @Test
    void theMarksAreRetainedAtRunTime() {
        assertEquals(RetentionPolicy.RUNTIME, ApiMarkers.retention());
    }

    @Test
    void everyPublicTypeOfAnExportedPackageIsMarked() {
        KnownViolations.assertExactly("public types without @API", ApiMarkers.unmarked(classes), KNOWN_UNMARKED);
    }

    @Test
    void noInternalTypePromisesStability() {
        KnownViolations.assertExactly("internal types marked STABLE or EXPERIMENTAL",
                ApiMarkers.promisingInternals(classes), Set.of());
    }
}
