package io.staleguard.maven;

import io.staleguard.device.architecture.ApiMarkers;
import io.staleguard.device.architecture.KnownViolations;
import io.staleguard.device.architecture.ProjectLayout;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * maven-plugin's public API says how stable it is, the way JUnit's does, with the checker of device-backend's
 * test-jar: every public top-level type outside an {@code internal} package carries {@code @API}, and no internal
 * type promises STABLE or EXPERIMENTAL.
 */
class ApiMarkersTest {

    private static final ProjectLayout LAYOUT = ProjectLayout.ofRunningModule();

    private static List<Class<?>> classes;

    @BeforeAll
    static void loadMainClasses() {
        classes = ProjectLayout.loadClasses(LAYOUT.mainClasses(), ApiMarkersTest.class.getClassLoader());
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
