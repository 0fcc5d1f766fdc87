package io.staleguard.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.junit.Backend;
import io.staleguard.junit.BackendUnavailableException;
import io.staleguard.junit.Device;
import io.staleguard.junit.StaleguardTest;
import io.staleguard.junit.kit.Kit;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * An unavailable backend fails the test with the reason, or with {@code staleguard.unavailable=skip} aborts it
 * with the reason shown; never a silent pass. The LOOP factory is replaced by one that is always unavailable so
 * this does not depend on the host.
 */
class UnavailableBackendTest {

    static final String REASON = "not root (uid 1000); the loop backend needs root";

    @TempDir
    Path reports;

    @StaleguardTest
    @Tag("staleguard-kit")
    static class NeedsLoop {
        @Test
        void test(@Device(backend = Backend.LOOP) Path dir) {
        }
    }

    private static AutoCloseable unavailableLoop() {
        return Backends.replace(Backend.LOOP, new BackendFactory() {
            @Override
            public String unavailableReason(DeviceSpec spec) {
                return REASON;
            }

            @Override
            public Opened open(DeviceSpec spec, long seed, String label) {
                throw new AssertionError("must not be opened");
            }
        });
    }

    @Test
    void failsWithTheReasonByDefault() throws Exception {
        try (AutoCloseable ignored = unavailableLoop()) {
            EngineExecutionResults r = Kit.run(NeedsLoop.class, reports);
            Kit.assertCounts(r, 0, 1, 0);
            assertThat(Kit.failure(r, "test")).isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("the LOOP backend is unavailable").hasMessageContaining(REASON)
                    .hasMessageContaining("staleguard.unavailable=skip");
        }
    }

    @Test
    void isSkippedWithTheReasonWhenAskedTo() throws Exception {
        try (AutoCloseable ignored = unavailableLoop()) {
            EngineExecutionResults r = Kit.run(NeedsLoop.class, reports, "staleguard.unavailable", "skip");
            Kit.assertCounts(r, 0, 0, 1);
            Throwable t = r.testEvents().aborted().list().get(0)
                    .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable()
                    .orElseThrow();
            assertThat(t).hasMessageContaining(REASON).hasMessageContaining("skipped");
            String json = Files.readString(reports.resolve(NeedsLoop.class.getName()).resolve("test.json"));
            assertThat(json).contains("\"status\": \"ABORTED\"");
        }
    }
}
