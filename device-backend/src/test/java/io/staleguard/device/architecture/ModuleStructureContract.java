package io.staleguard.device.architecture;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The structure rules of docs/ARCHITECTURE.md for a module above device-backend (the extension, the plugin):
 * no package cycle, device-backend used through its exported packages only, no internal type in a public
 * signature, unique simple names, no private citations, and {@code @API} on every public type. A module's test
 * extends this class and names the module and its package prefix; every allow-list is empty since issue #10,
 * so any finding fails with the class reference or signature behind it.
 */
public abstract class ModuleStructureContract {

    private final String module;
    private final String packagePrefix;
    private final ProjectLayout layout = ProjectLayout.ofRunningModule();

    /**
     * @param module        the module's directory name, e.g. {@code "junit-extension"}
     * @param packagePrefix its own packages' prefix with the trailing dot, e.g. {@code "io.staleguard.junit."}
     */
    protected ModuleStructureContract(String module, String packagePrefix) {
        this.module = module;
        this.packagePrefix = packagePrefix;
    }

    @Test
    void noPackageCycle() {
        KnownViolations.assertExactly("package cycles",
                PackageCycles.ofClasses(layout.mainClasses()).edgesInCyclesThrough(unit -> true), Set.of());
    }

    @Test
    void usesDeviceBackendThroughItsExportedPackagesOnly() {
        KnownViolations.assertExactly("references to another module's internal classes",
                ForeignInternalReferences.of(ClassReferences.of(layout.mainClasses()), packagePrefix), Set.of());
    }

    @Test
    void noPublicSignatureNamesAnInternalType() {
        KnownViolations.assertExactly("internal types in public or protected signatures",
                InternalTypeLeaks.ofClasses(layout.mainClasses(), getClass().getClassLoader()), Set.of());
    }

    @Test
    void noTwoMainClassesShareASimpleName() {
        KnownViolations.assertExactly("main classes that share a simple name",
                DuplicateSimpleNames.involving(module, layout), Set.of());
    }

    @Test
    void noMainSourceCitesASeedFileOrAMachinePath() {
        KnownViolations.assertExactly("seed-file or machine-path citations",
                ForbiddenCitations.in(List.of(layout.mainSources(module)), layout), Set.of());
    }

    @Test
    void everyPublicTypeOfAnExportedPackageIsMarked() {
        KnownViolations.assertExactly("public types without @API", ApiMarkers.unmarked(mainClasses()), Set.of());
    }

    @Test
    void noInternalTypePromisesStability() {
        KnownViolations.assertExactly("internal types marked STABLE or EXPERIMENTAL",
                ApiMarkers.promisingInternals(mainClasses()), Set.of());
    }

    private List<Class<?>> mainClasses() {
        return ProjectLayout.loadClasses(layout.mainClasses(), getClass().getClassLoader());
    }
}
