package io.staleguard.device.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staleguard.device.architecture.fixture.Clean;
import io.staleguard.device.architecture.fixture.Leaky;
import io.staleguard.device.architecture.fixture.Marked;
import io.staleguard.device.architecture.fixture.internal.Hidden;
import io.staleguard.device.architecture.fixture.internal.Owned;
import io.staleguard.device.architecture.fixture.internal.Promised;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.RetentionPolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The structure checkers on tiny synthetic inputs: each finds what it must, and a clean input stays clean. */
class StructureCheckersTest {

    @Test
    void aCycleIsFoundAndReportedByItsEdges() {
        PackageCycles graph = PackageCycles.ofClassDependencies(Map.of(
                "a.A", Set.of("b.B"),
                "b.B", Set.of("c.C"),
                "c.C", Set.of("a.A2"),
                "d.D", Set.of("a.A")));

        assertEquals(Set.of(Set.of("a", "b", "c")), graph.cycles());
        assertEquals(Set.of("a -> b", "b -> c", "c -> a"), graph.edgesInCyclesThrough("b"::equals).keySet());
        assertEquals("a.A -> b.B", graph.edgesInCyclesThrough("b"::equals).get("a -> b"));
    }

    @Test
    void aCleanGraphStaysClean() {
        PackageCycles graph = PackageCycles.ofClassDependencies(Map.of(
                "a.A", Set.of("b.B", "c.C", "a.A2"),
                "b.B", Set.of("c.C"),
                "a.A2", Set.of("a.A")));

        assertEquals(Set.of(), graph.cycles());
        assertEquals(Map.of(), graph.edgesInCyclesThrough(unit -> true));
    }

    @Test
    void aPackageAndItsInternalSubpackageAreOneUnit() {
        PackageCycles graph = PackageCycles.ofClassDependencies(Map.of(
                "a.internal.Core", Set.of("b.Hook"),
                "b.Hook", Set.of("a.Word")));

        assertEquals("a", PackageCycles.unitOf("a.internal.Core"));
        assertEquals("a.internal.fs", PackageCycles.unitOf("a.internal.fs.Tree"));
        assertEquals(Set.of(Set.of("a", "b")), graph.cycles());
    }

    @Test
    void aCycleAwayFromTheGuardedUnitsIsNotReported() {
        PackageCycles graph = PackageCycles.ofClassDependencies(Map.of(
                "a.A", Set.of("b.B"),
                "b.B", Set.of("a.A"),
                "c.C", Set.of("a.A")));

        assertEquals(Map.of(), graph.edgesInCyclesThrough("c"::equals));
    }

    @Test
    void aReferenceUpTheLayersIsFoundAndDownIsFine() {
        Map<String, Integer> layers = Map.of("a", 0, "a.up", 1);
        Map<String, Set<String>> references = Map.of(
                "a.Word", Set.of("a.up.Core", "java.lang.String"),
                "a.up.Core", Set.of("a.Word"),
                "a.up.internal.Impl", Set.of("a.Word"),
                "b.Stray", Set.of());

        assertEquals(Map.of("a -> a.up", "a.Word -> a.up.Core", "b: no layer", "b.Stray"),
                LayerViolations.of(references, layers));
        assertEquals(1, LayerViolations.layerOf("a.up.internal", layers));
    }

    @Test
    void anotherModulesInternalClassIsFoundAndOurOwnIsFine() {
        Map<String, Set<String>> references = Map.of(
                "io.staleguard.junit.Api", Set.of("io.staleguard.junit.internal.Impl", "io.staleguard.device.BlockDevice"),
                "io.staleguard.junit.internal.Impl", Set.of("io.staleguard.device.sim.kernel.internal.Page"));

        assertEquals(Set.of("junit.internal.Impl -> device.sim.kernel.internal.Page"),
                ForeignInternalReferences.of(references, "io.staleguard.junit.").keySet());
    }

    @Test
    void theConstantPoolNamesClassesOfSignaturesAndGenericArguments() throws IOException {
        Set<String> references = ClassFileReferences.of(classFile(Leaky.class));

        assertTrue(references.contains(Hidden.class.getName()), references::toString);
        assertTrue(references.contains(List.class.getName()), references::toString);
        assertFalse(references.contains(Leaky.class.getName()), "a class does not refer to itself");
    }

    @Test
    void internalTypesInPublicSignaturesAreFound() {
        Map<String, String> leaks = InternalTypeLeaks.of(List.of(Leaky.class, Hidden.class));

        String hidden = "device.architecture.fixture.internal.Hidden";
        assertEquals(Set.of(
                "device.architecture.fixture.Leaky#extends -> " + hidden,
                "device.architecture.fixture.Leaky#hidden -> " + hidden,
                "device.architecture.fixture.Leaky#<init> -> " + hidden), leaks.keySet());
    }

    @Test
    void privateUsesAndUnreachableTypesAreNotLeaks() throws ClassNotFoundException {
        Class<?> closed = Class.forName(Clean.class.getName() + "$Closed");

        assertEquals(Map.of(), InternalTypeLeaks.of(List.of(Clean.class, closed)));
    }

    @Test
    void citationsOfSeedFilesAndMachinePathsAreFound() {
        String seeds = "/" + "work/shared/" + "seeds";
        Map<String, Integer> found = ForbiddenCitations.inText("one\nsee " + seeds + "/001_0123456789abcdef.txt\nand 004_*\n");

        assertEquals(Set.of("/work/", "shared/seeds", "0123456789abcdef.txt", "004_*"), found.keySet());
        assertEquals(3, found.get("004_*"));
    }

    @Test
    void numbersAndCommitHashesAreNotCitations() {
        assertEquals(Map.of(), ForbiddenCitations.inText("long n = 1_000_000; // commits 65b8291c, bdb76ef5; /tmp/x, work/"));
    }

    @Test
    void anAllowListMustMatchExactly() {
        KnownViolations.assertExactly("rule", Map.of("x", "why"), Set.of("x"));

        AssertionError added = assertThrows(AssertionError.class,
                () -> KnownViolations.assertExactly("rule", Map.of("x", "why", "y", "evidence"), Set.of("x")));
        assertTrue(added.getMessage().contains("\"y\"   [evidence]"), added::getMessage);

        AssertionError gone = assertThrows(AssertionError.class,
                () -> KnownViolations.assertExactly("rule", Map.of(), Set.of("x")));
        assertTrue(gone.getMessage().contains("remove them from the allow-list"), gone::getMessage);
    }

    @Test
    void apiMarksAreSeenByReflection() {
        assertEquals(RetentionPolicy.RUNTIME, ApiMarkers.retention());
    }

    @Test
    void aPublicTypeWithoutItsApiMarkIsFound() {
        Map<String, String> unmarked = ApiMarkers.unmarked(List.of(Clean.class, Leaky.class, Marked.class,
                Marked.Part.class, Hidden.class, Promised.class));

        assertEquals(Set.of("device.architecture.fixture.Clean", "device.architecture.fixture.Leaky"), unmarked.keySet());
    }

    @Test
    void anInternalTypeThatPromisesStabilityIsFoundAndInternalIsFine() {
        Map<String, String> promising = ApiMarkers.promisingInternals(List.of(Promised.class, Owned.class,
                Hidden.class, Marked.class));

        assertEquals(Set.of("device.architecture.fixture.internal.Promised"), promising.keySet());
        assertTrue(promising.values().iterator().next().endsWith("@API(status = STABLE)"), promising::toString);
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }
}
