package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.BlockDevice;
import io.staleguard.junit.kit.Kit;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Bad configuration fails the test with an {@link ExtensionConfigurationException} naming the bad value. */
class ConfigurationErrorTest {

    @TempDir
    Path reports;

    @StaleguardTest
    @Tag("staleguard-kit")
    static class UnsupportedType {
        @Test
        void test(@Device String notADevice) {
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class FinalField {
        @Device
        final BlockDevice device = null;

        @Test
        void test() {
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class UnparsableSize {
        @Test
        void test(@Device(backend = Backend.FILE, size = "64 megs") Path dir) {
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class OddBlockSize {
        @Test
        void test(@Device(blockSize = 1024) BlockDevice device) {
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class PresetOnRealBackend {
        @Test
        void test(@Device(backend = Backend.FILE, kernel = "MODERN") Path dir) {
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class DaxOnRealBackend {
        @Test
        void test(@Device(backend = Backend.FILE, dax = true) Path dir) {
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class PathOnSimulated {
        @Test
        void test(@Device Path dir) throws java.io.IOException {
            if (!dir.getFileSystem().getClass().getSimpleName().equals("SimulatedFileSystem")
                    || !java.nio.file.Files.isDirectory(dir)) {
                throw new AssertionError(dir + " on " + dir.getFileSystem());
            }
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class ConflictingNames {
        @Test
        void test(@Device(name = "d", size = "1MiB") BlockDevice a, @Device(name = "d", size = "2MiB") BlockDevice b) {
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class UnknownPreset {
        @Test
        void test(@Device(kernel = "LINUX_1_0") BlockDevice device) {
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class ShortTransfersOnPath {
        @Test
        void test(@Device(backend = Backend.FILE, shortTransfers = 0.5) Path dir) {
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class BadSetting {
        @Test
        void test(@Device(backend = Backend.FILE) Path dir) {
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
    void unsupportedParameterType() {
        assertThat(message(UnsupportedType.class)).contains("@Device cannot inject a java.lang.String",
                "supported types are [BlockDevice, SimulatedDevice, FileChannel, AsynchronousFileChannel, Path]",
                "UnsupportedType#test(String)");
    }

    @Test
    void finalField() {
        assertThat(message(FinalField.class)).contains("@Device field 'device' of FinalField is final",
                "remove 'final'");
    }

    @Test
    void unparsableSize() {
        assertThat(message(UnparsableSize.class)).contains("@Device(size = \"64 megs\")",
                "cannot parse size '64 megs'", "64MiB");
    }

    @Test
    void blockSizeMustBe512Or4096() {
        assertThat(message(OddBlockSize.class)).contains("@Device(blockSize = 1024)", "must be 512 or 4096");
    }

    @Test
    void daxOnARealBackend() {
        assertThat(message(DaxOnRealBackend.class)).contains("@Device(backend = FILE, dax = true)",
                "runs the host kernel", "use backend = SIMULATED");
    }

    @Test
    void presetOnARealBackend() {
        assertThat(message(PresetOnRealBackend.class)).contains("@Device(backend = FILE, kernel = \"MODERN\")",
                "runs the host kernel", "remove kernel or use Backend.SIMULATED");
    }

    @Test
    void pathOnSimulatedIsADirectoryOfTheSimulatedFileSystem() {
        // Issue #11 replaced the "not supported yet" refusal: the Path is on the device's simulated filesystem.
        Kit.assertCounts(Kit.run(PathOnSimulated.class, reports), 1, 0, 0);
    }

    @Test
    void anUnknownPresetIsNamed() {
        assertThat(message(UnknownPreset.class)).contains("@Device(kernel = \"LINUX_1_0\")", "LINUX_1_0", "MODERN");
    }

    @Test
    void shortTransfersOnAPathAreRefused() {
        assertThat(message(ShortTransfersOnPath.class)).contains("@Device(shortTransfers = 0.5) on a Path");
    }

    @Test
    void twoPointsSharingANameMustAgree() {
        assertThat(message(ConflictingNames.class)).contains("@Device(name = \"d\") is also declared by",
                "different settings");
    }

    @Test
    void badSettingsAreNamed() {
        // A bad run-wide setting fails the whole class, before any test starts.
        EngineExecutionResults r = Kit.run(BadSetting.class, reports, "staleguard.backend", "TAPE");
        assertThat(r.testEvents().started().count()).isZero();
        Throwable t = r.containerEvents().failed().list().get(0)
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable()
                .orElseThrow();
        assertThat(t).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("staleguard.backend='TAPE'").hasMessageContaining("[SIMULATED, FILE, LOOP]");
    }
}
