package io.staleguard.junit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.junit.Crash;
import io.staleguard.junit.Device;
import io.staleguard.junit.IoConsistencyError;
import io.staleguard.junit.StaleguardTest;
import io.staleguard.junit.kit.Kit;
import io.staleguard.junit.kit.faults.FsyncRetryLog;
import io.staleguard.junit.kit.faults.FsyncRetryLog.OnFailedForce;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The retried fsync (issue #13, plan §5.1 #1): {@code force} fails, the program forces again, that succeeds, and the
 * program acknowledges a record that never reached the media. Caught through the crash API as a
 * {@code DURABILITY} violation naming the failed force; the twins, which treat a failed force as fatal for the data
 * it covered (rewrite from their own copy, or re-open and replay), are clean over the whole budget.
 */
class FsyncRetryTest {

    @TempDir
    Path reports;

    @StaleguardTest
    @Tag("staleguard-kit")
    static class RetriedFsync {
        static OnFailedForce handling = OnFailedForce.RETRY;
        static boolean direct;

        @Test
        void test(@Device Path dir, Crash crash) throws Exception {
            Path file = Files.createFile(dir.resolve("fsync.log"));
            fsyncDirectory(dir);
            crash.explore(() -> {
                // The first force of the workload fails with EIO.
                ((SimulatedFileSystem) dir.getFileSystem()).device().faults().failFsync(1);
                try (FsyncRetryLog log = new FsyncRetryLog(file, handling, direct)) {
                    for (int i = 0; i < 3; i++) {
                        log.append(i, crash);
                    }
                }
            }, state -> { });
            assertThat(crash.statesExplored()).isPositive();
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private EngineExecutionResults run() {
        return Kit.run(RetriedFsync.class, reports);
    }

    @AfterEach
    void buffered() {
        RetriedFsync.direct = false;
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {false, true})
    void aForceRetriedAfterItFailedAcknowledgesARecordThatNeverReachedTheMedia(boolean direct) {
        // Direct: nothing to write back, the device's flush failed, and what its volatile cache held is lost.
        RetriedFsync.direct = direct;
        RetriedFsync.handling = OnFailedForce.RETRY;
        EngineExecutionResults r = run();
        Kit.assertCounts(r, 0, 1, 0);
        Throwable t = Kit.failure(r, "test");
        assertThat(t).isInstanceOf(IoConsistencyError.class);
        IoConsistencyError e = (IoConsistencyError) t;
        assertThat(e.violations()).hasSize(1);
        Violation v = e.violations().get(0);
        assertThat(v.kind()).isEqualTo(ViolationKind.DURABILITY);
        assertThat(v.location().path()).isEqualTo("/test/fsync.log");
        assertThat(v.location().offset()).isZero();
        assertThat(v.detail()).contains("its force at t=",
                "failed (Input/output error), the pages were marked clean and their data dropped, and the force at t=",
                "succeeded with nothing to write back");
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {false, true})
    void aTwinThatRewritesFromItsOwnCopyIsClean(boolean direct) {
        RetriedFsync.direct = direct;
        RetriedFsync.handling = OnFailedForce.REWRITE;
        Kit.assertCounts(run(), 1, 0, 0);
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {false, true})
    void aTwinThatReopensAndReplaysIsClean(boolean direct) {
        RetriedFsync.direct = direct;
        RetriedFsync.handling = OnFailedForce.REOPEN;
        Kit.assertCounts(run(), 1, 0, 0);
    }
}
