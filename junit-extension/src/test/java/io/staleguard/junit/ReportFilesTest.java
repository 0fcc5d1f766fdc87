package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoMode;
import io.staleguard.junit.kit.Kit;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * How the per-test report reaches its file: complete when the test's result is reported, replacing an earlier run's
 * report, with no temp file left beside it, into a report directory made again if something deleted it.
 */
class ReportFilesTest {

    @TempDir
    Path reports;

    @StaleguardTest
    @Tag("staleguard-kit")
    static class Writes {
        /** Bytes the next run writes, so that each run's report differs from the one before. */
        static volatile int blocks = 1;

        @Test
        void some(@Device(size = "1MiB") BlockDevice d) throws Exception {
            for (int i = 0; i < blocks; i++) {
                d.write(ByteBuffer.allocate(4096), (long) i * 4096, IoMode.DIRECT);
            }
        }
    }

    @Test
    void aLaterRunReplacesTheReportAndLeavesNoTempFile() throws Exception {
        Path dir = reports.resolve(Writes.class.getName());
        Writes.blocks = 1;
        Kit.assertCounts(Kit.run(Writes.class, reports), 1, 0, 0);
        assertThat(report(dir).get("bytes").asLong()).isEqualTo(4096);

        Writes.blocks = 3;
        Kit.assertCounts(Kit.run(Writes.class, reports), 1, 0, 0);
        assertThat(report(dir).get("bytes").asLong()).as("the second run's report").isEqualTo(3 * 4096);
        assertThat(names(dir)).containsExactly("some.json");
    }

    @Test
    void aReportDirectoryDeletedBetweenRunsIsMadeAgain() throws Exception {
        Path dir = reports.resolve(Writes.class.getName());
        Writes.blocks = 1;
        Kit.assertCounts(Kit.run(Writes.class, reports), 1, 0, 0);
        Files.delete(dir.resolve("some.json"));
        Files.delete(dir);
        Files.delete(reports);

        Writes.blocks = 2;
        Kit.assertCounts(Kit.run(Writes.class, reports), 1, 0, 0);
        assertThat(report(dir).get("bytes").asLong()).isEqualTo(2 * 4096);
        assertThat(names(dir)).containsExactly("some.json");
    }

    @Test
    void theReportIsCompleteWhenTheTestsResultIsReported() {
        // The soak's round reads each test's report in its listener's executionFinished, as this listener does.
        Path file = reports.resolve(Writes.class.getName()).resolve("some.json");
        Writes.blocks = 2;
        List<String> seen = new java.util.ArrayList<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(Writes.class))
                .configurationParameter("staleguard.seed", Kit.SEED)
                .configurationParameter("staleguard.reportDir", reports.toString()).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.isTest()) {
                            try {
                                seen.add(result.getStatus() + " " + new ObjectMapper().readTree(file.toFile())
                                        .get("bytes").asLong());
                            } catch (java.io.IOException e) {
                                seen.add(result.getStatus() + " " + e);
                            }
                        }
                    }
                });
        assertThat(seen).containsExactly("SUCCESSFUL " + 2 * 4096);
    }

    private static JsonNode report(Path dir) throws Exception {
        return new ObjectMapper().readTree(dir.resolve("some.json").toFile());
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
