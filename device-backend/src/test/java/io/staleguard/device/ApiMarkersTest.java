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
        KnownViolations.assertExactly("public types without @API", ApiMarkers.unmarked(classes), Set.of());
    }

    @Test
    void noInternalTypePromisesStability() {
        KnownViolations.assertExactly("internal types marked STABLE or EXPERIMENTAL",
                ApiMarkers.promisingInternals(classes), Set.of());
    }
}
