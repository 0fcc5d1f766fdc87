package io.staleguard.maven;

import io.staleguard.device.architecture.ClassReferences;
import io.staleguard.device.architecture.DuplicateSimpleNames;
import io.staleguard.device.architecture.ForbiddenCitations;
import io.staleguard.device.architecture.ForeignInternalReferences;
import io.staleguard.device.architecture.InternalTypeLeaks;
import io.staleguard.device.architecture.KnownViolations;
import io.staleguard.device.architecture.PackageCycles;
import io.staleguard.device.architecture.ProjectLayout;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The structure rules of docs/ARCHITECTURE.md for maven-plugin, with the checkers of device-backend's test-jar. Each
 * rule compares what it finds with an allow-list of the violations known when the rule was written: new ones
 * fail, and so do listed ones that are gone.
 */
class ArchitectureTest {

    private static final ProjectLayout LAYOUT = ProjectLayout.ofRunningModule();

    /** Package-graph edges inside a cycle of this module's packages. To be emptied by issue #10. */
    private static final Set<String> KNOWN_CYCLE_EDGES = Set.of();

    /** References to another module's internal classes. To be emptied by issue #10. */
    private static final Set<String> KNOWN_FOREIGN_INTERNAL_REFERENCES = Set.of();

    /** Public signatures that name an internal type. To be emptied by issue #10. */
    private static final Set<String> KNOWN_INTERNAL_LEAKS = Set.of();

    /** Simple names of maven-plugin main classes that another main class shares. To be emptied by issue #10. */
    private static final Set<String> KNOWN_DUPLICATE_NAMES = Set.of();

    /** Seed-file and machine-path citations in maven-plugin's main sources. To be emptied by issue #10. */
    private static final Set<String> KNOWN_CITATIONS = Set.of();

    @Test
    void noPackageCycle() {
        KnownViolations.assertExactly("package cycles",
                PackageCycles.ofClasses(LAYOUT.mainClasses()).edgesInCyclesThrough(unit -> true), KNOWN_CYCLE_EDGES);
    }

    @Test
    void usesDeviceBackendThroughItsExportedPackagesOnly() {
        KnownViolations.assertExactly("references to another module's internal classes",
                ForeignInternalReferences.of(ClassReferences.of(LAYOUT.mainClasses()), "io.staleguard.maven."),
                KNOWN_FOREIGN_INTERNAL_REFERENCES);
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
                DuplicateSimpleNames.involving("maven-plugin", LAYOUT), KNOWN_DUPLICATE_NAMES);
    }

    @Test
    void noMainSourceCitesASeedFileOrAMachinePath() {
        KnownViolations.assertExactly("seed-file or machine-path citations",
                ForbiddenCitations.in(List.of(LAYOUT.mainSources("maven-plugin")), LAYOUT), KNOWN_CITATIONS);
    }
}
