package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.ViolationKind;
import io.staleguard.junit.kit.Kit;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** {@code staleguard.backend} re-runs unchanged test classes on another backend, and the reproduce line says so. */
class BackendOverrideTest {

    @TempDir
    Path reports;

    @Test
    void theSameBuggyLogIsCaughtOnTheFileBackendWithoutCodeChanges() throws Exception {
        EngineExecutionResults r = Kit.run(DetectionTest.ReusedBuffer.class, reports, "staleguard.backend", "FILE");
        Kit.assertCounts(r, 1, 1, 0);
        Throwable t = Kit.failure(r, "buggy");
        assertThat(t).isInstanceOf(IoConsistencyError.class);
        IoConsistencyError e = (IoConsistencyError) t;
        assertThat(e.counts()).containsOnlyKeys(ViolationKind.GUARD_TAG);
        assertThat(e.reproduceCommand()).endsWith("-Dstaleguard.seed=0x0000000000005eed -Dstaleguard.backend=FILE");
        String json = Files.readString(reports.resolve(DetectionTest.ReusedBuffer.class.getName())
                .resolve("buggy.json"));
        assertThat(json).contains("\"backend\": \"FILE\"", "\"preset\": \"\"");
    }

    @Test
    void aSimulatedDeviceParameterStaysSimulated() throws Exception {
        EngineExecutionResults r = Kit.run(DetectionTest.PoisonedCache.class, reports, "staleguard.backend", "FILE");
        Kit.assertCounts(r, 1, 1, 0);
        assertThat(((IoConsistencyError) Kit.failure(r, "buggy")).counts()).containsOnlyKeys(
                ViolationKind.STALE_READ);
    }

    @Test
    void aKernelOverrideIsNamedInTheReproduceLine() {
        EngineExecutionResults r = Kit.run(DetectionTest.ReusedBuffer.class, reports, "staleguard.kernel", "MODERN");
        Kit.assertCounts(r, 1, 1, 0);
        assertThat(((IoConsistencyError) Kit.failure(r, "buggy")).reproduceCommand())
                .endsWith("-Dstaleguard.kernel=MODERN");
    }
}
