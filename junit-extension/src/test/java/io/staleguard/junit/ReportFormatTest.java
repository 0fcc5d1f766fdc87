package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.staleguard.junit.kit.Kit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** The per-test report parses as the documented {@code staleguard-test-report/1} and is published to JUnit. */
class ReportFormatTest {

    @TempDir
    Path reports;

    @Test
    void aFailedTestsReportHasEveryDocumentedFieldWithItsType() throws Exception {
        EngineExecutionResults r = Kit.run(DetectionTest.ReusedBuffer.class, reports);
        Kit.assertCounts(r, 1, 1, 0);
        Path dir = reports.resolve(DetectionTest.ReusedBuffer.class.getName());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("buggy.json").toFile());
        assertThat(json.get("format").asText()).isEqualTo("staleguard-test-report/1");
        for (String f : List.of("testId", "className", "methodName", "displayName", "status", "seed", "masterSeed",
                "backend", "preset", "reproduce")) {
            assertThat(json.get(f).isTextual()).as(f).isTrue();
        }
        for (String f : List.of("operations", "bytes", "durationMillis")) {
            assertThat(json.get(f).isIntegralNumber()).as(f).isTrue();
        }
        assertThat(json.get("testId").asText()).contains("[method:buggy(java.nio.channels.AsynchronousFileChannel)]");
        assertThat(json.get("className").asText()).isEqualTo(DetectionTest.ReusedBuffer.class.getName());
        assertThat(json.get("status").asText()).isEqualTo("FAILED");
        assertThat(json.get("seed").asText()).matches("0x[0-9a-f]{16}");
        assertThat(json.get("masterSeed").asText()).isEqualTo("0x0000000000005eed");
        assertThat(json.get("operations").asLong()).isPositive();
        assertThat(json.get("bytes").asLong()).isPositive();
        assertThat(json.get("failOn").isArray()).isTrue();
        assertThat(json.get("counts").get("GUARD_TAG").asLong()).isPositive();
        JsonNode device = json.get("devices").get(0);
        assertThat(device.get("backend").asText()).isEqualTo("SIMULATED");
        assertThat(device.get("counts").get("GUARD_TAG").asLong()).isEqualTo(json.get("counts").get("GUARD_TAG")
                .asLong());
        JsonNode v = json.get("violations").get(0);
        assertThat(v.get("kind").asText()).isEqualTo("GUARD_TAG");
        for (String f : List.of("offset", "length", "lba", "firstDiffOffset")) {
            assertThat(v.get(f).isIntegralNumber()).as(f).isTrue();
        }
        for (String f : List.of("expected", "actual", "thread", "detail")) {
            assertThat(v.get(f).isTextual()).as(f).isTrue();
        }
        assertThat(v.get("submitStack").isArray()).isTrue();
        assertThat(v.get("timeline").isArray()).isTrue();

        JsonNode passed = new ObjectMapper().readTree(dir.resolve("correct.json").toFile());
        assertThat(passed.get("status").asText()).isEqualTo("PASSED");
        assertThat(passed.get("counts").size()).isZero();
        assertThat(passed.get("violations").size()).isZero();
    }

    @Test
    void theReportIsPublishedToTheTest() {
        EngineExecutionResults r = Kit.run(DetectionTest.ReusedBuffer.class, reports);
        // JUnit 5.11 has no publishFile: the report's path is published as a report entry.
        assertThat(r.allEvents().reportingEntryPublished().list()).hasSize(2).allSatisfy(e -> {
            var entry = e.getPayload(org.junit.platform.engine.reporting.ReportEntry.class).orElseThrow();
            assertThat(entry.getKeyValuePairs().get("staleguard.report")).endsWith(".json");
        });
    }
}
