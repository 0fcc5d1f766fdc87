package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.ViolationKind;
import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.junit.kit.Kit;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Bad use of {@link Crash} fails the test with an {@link ExtensionConfigurationException} naming the problem. */
class CrashConfigurationTest {

    @TempDir
    Path reports;

    @StaleguardTest
    @Tag("staleguard-kit")
    static class OnFileBackend {
        @Test
        void test(@Device(backend = Backend.FILE) Path dir, Crash crash) {
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class WithoutPath {
        @Test
        void test(Crash crash) {
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class TwoPaths {
        @Test
        void test(@Device Path a, @Device(name = "b") Path b, Crash crash) {
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class OnDax {
        @Test
        void test(@Device(dax = true) Path dir, Crash crash) {
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class WithRewriters {
        @Test
        void test(@Device Path dir, Crash crash, @Rewriters(threads = 1) RewriterThreads rw) {
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class BoundUnderBackendOverride {
        @Test
        void test(@Device Path dir, Crash crash, Crash again) {
            assertThat(dir.getFileSystem()).isInstanceOf(SimulatedFileSystem.class);
            assertThat(again).isSameAs(crash);
            assertThat(crash.statesExplored()).isZero();
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class AcknowledgeOutsideExplore {
        @Test
        void test(@Device Path dir, Crash crash) {
            crash.acknowledge("too early");
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class NamedDevice {
        @Test
        void test(@Device(backend = Backend.FILE) Path host, @Device(name = "log") Path log,
                  @Device(name = "log") Crash crash) {
            assertThat(log.getFileSystem()).isInstanceOf(SimulatedFileSystem.class);
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class NamedDeviceMissing {
        @Test
        void test(@Device(name = "log") Path log, @Device(name = "wal") Crash crash) {
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class DeviceAttributesOnCrash {
        @Test
        void test(@Device(name = "log") Path log, @Device(name = "log", size = "1MiB") Crash crash) {
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class PathField {
        @Device
        Path dir;

        @Test
        void test(Crash crash) throws Exception {
            Path file = dir.resolve("data");
            crash.explore(() -> {
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.write(java.nio.ByteBuffer.wrap(new byte[100]));
                    ch.force(true);
                }
                try (java.nio.channels.FileChannel d = java.nio.channels.FileChannel.open(dir,
                        java.nio.file.StandardOpenOption.READ)) {
                    d.force(true);
                }
                crash.acknowledge(file);
            }, state -> { });
            assertThat(dir.getFileSystem()).isInstanceOf(SimulatedFileSystem.class);
            assertThat(crash.statesExplored()).isPositive();
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class StaticPathField {
        @Device
        static Path dir;

        @Test
        void test(Crash crash) throws Exception {
            Path file = dir.resolve("data");
            crash.explore(() -> {
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.write(java.nio.ByteBuffer.wrap(new byte[100]));
                    ch.force(true);
                }
            }, state -> { });
            assertThat(crash.statesExplored()).isPositive();
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class PathFieldAndPathParameter {
        @Device
        Path dir;

        @Test
        void test(@Device(name = "other") Path other, Crash crash) {
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class RewritersOnAnotherDevice {
        @Test
        void test(@Device Path dir, Crash crash, @Device(name = "stress") java.nio.channels.FileChannel stressed,
                  @Rewriters(threads = 1, device = "stress") RewriterThreads rw) throws Exception {
            Path file = dir.resolve("data");
            crash.explore(() -> java.nio.file.Files.write(file, new byte[10]), state -> { });
            assertThat(crash.statesExplored()).isPositive();
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class RewriterFieldOnTheCrashDevice {
        @Rewriters(threads = 1)
        RewriterThreads rw;

        @Test
        void test(@Device Path dir, Crash crash) {
        }
    }

    private String message(Class<?> sample, String... config) {
        EngineExecutionResults r = Kit.run(sample, reports, config);
        Kit.assertCounts(r, 0, 1, 0);
        Throwable t = Kit.failure(r, "test");
        assertThat(t).isInstanceOf(ExtensionConfigurationException.class);
        return t.getMessage();
    }

    @Test
    void crashOnANonSimulatedBackend() {
        assertThat(message(OnFileBackend.class)).isEqualTo("Crash explores the crash states of the simulated "
                + "filesystem, but the device of parameter 0 of OnFileBackend#test(Path, Crash) is on Backend.FILE; "
                + "the host's filesystem cannot be reset to a crash state (a LazyFS-style FILE mode does not exist "
                + "yet): use Backend.SIMULATED [parameter 1 of OnFileBackend#test(Path, Crash)]");
    }

    @Test
    void crashWithoutAPathDevice() {
        assertThat(message(WithoutPath.class)).isEqualTo("Crash needs a @Device Path on Backend.SIMULATED in "
                + "WithoutPath#test (or @Device(name = …) on both) [parameter 0 of WithoutPath#test(Crash)]");
        assertThat(message(TwoPaths.class)).contains("Crash needs a @Device Path on Backend.SIMULATED in "
                + "TwoPaths#test", "it has 2 @Device Path parameters, and a Crash explores one filesystem");
    }

    @Test
    void deviceOnACrashOnlyNamesTheDevice() {
        Kit.assertCounts(Kit.run(NamedDevice.class, reports), 1, 0, 0);
        assertThat(message(NamedDeviceMissing.class)).isEqualTo("Crash needs a @Device Path on Backend.SIMULATED in "
                + "NamedDeviceMissing#test (or @Device(name = …) on both): no @Device(name = \"wal\") Path parameter or "
                + "field "
                + "[parameter 1 of NamedDeviceMissing#test(Path, Crash)]");
        assertThat(message(DeviceAttributesOnCrash.class)).startsWith("@Device on a Crash only names the device it "
                + "explores").contains("parameter 1 of DeviceAttributesOnCrash#test(Path, Crash) sets [size]");
    }

    @Test
    void crashOnDax() {
        assertThat(message(OnDax.class)).startsWith("Crash does not model DAX (@Device(dax = true)): ")
                .contains("parameter 0 of OnDax#test(Path, Crash)");
    }

    @Test
    void crashWithRewriters() {
        assertThat(message(WithRewriters.class)).startsWith("@Rewriters and Crash in one test: ");
    }

    @Test
    void rewritersOnTheCrashDeviceAreRefusedParameterOrField() {
        assertThat(message(WithRewriters.class)).isEqualTo("@Rewriters and Crash in one test: the rewriters of "
                + "parameter 2 stress the device of parameter 0 of WithRewriters#test(Path, Crash, "
                + "RewriterThreads), which the Crash explores, and a power cycle with rewriter threads in flight has "
                + "no meaning; put them on another device (@Device(name = …) and @Rewriters(device = …)) or explore "
                + "without @Rewriters in WithRewriters#test [parameter 1 of WithRewriters#test(Path, Crash, "
                + "RewriterThreads)]");
        assertThat(message(RewriterFieldOnTheCrashDevice.class)).startsWith("@Rewriters and Crash in one test: the "
                + "rewriters of field 'rw' stress the device of parameter 0 of RewriterFieldOnTheCrashDevice#test");
    }

    @Test
    void rewritersOnAnotherDeviceThanTheCrashsAreAllowed() {
        Kit.assertCounts(Kit.run(RewritersOnAnotherDevice.class, reports), 1, 0, 0);
    }

    @Test
    void aCrashBindsToADevicePathFieldInstanceOrStatic() {
        Kit.assertCounts(Kit.run(PathField.class, reports), 1, 0, 0);
        Kit.assertCounts(Kit.run(StaticPathField.class, reports), 1, 0, 0);
        // The field's device stays simulated under a backend override, as a parameter's does.
        Kit.assertCounts(Kit.run(PathField.class, reports, "staleguard.backend", "FILE"), 1, 0, 0);
        assertThat(message(PathFieldAndPathParameter.class)).contains("Crash needs a @Device Path on "
                + "Backend.SIMULATED in PathFieldAndPathParameter#test",
                "it has 2 @Device Path parameters and fields, and a Crash explores one filesystem");
    }

    @Test
    void acknowledgeOutsideExplore() {
        assertThat(message(AcknowledgeOutsideExplore.class))
                .isEqualTo("Crash.acknowledge is only meaningful inside the workload of Crash.explore");
    }

    @Test
    void aCrashDeviceStaysSimulatedUnderABackendOverrideAndOneCrashServesTheTest() {
        EngineExecutionResults r = Kit.run(BoundUnderBackendOverride.class, reports, "staleguard.backend", "FILE");
        Kit.assertCounts(r, 1, 0, 0);
    }

    @Test
    void crashKindsFailByDefault() throws Exception {
        ViolationKind[] failOn = (ViolationKind[]) StaleguardTest.class.getMethod("failOn").getDefaultValue();
        assertThat(List.of(failOn)).contains(ViolationKind.DURABILITY, ViolationKind.CRASH_RECOVERY);
    }
}
