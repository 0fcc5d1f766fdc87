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
    void aViolationOnASimulatedFileNamesThePathAndTheFileOffset() throws Exception {
        EngineExecutionResults r = Kit.run(SimulatedPathTest.ReusedAsyncBuffer.class, reports);
        Kit.assertCounts(r, 1, 1, 0);
        JsonNode json = report(SimulatedPathTest.ReusedAsyncBuffer.class, "buggy");
        assertThat(json.get("backend").asText()).isEqualTo("SIMULATED");
        assertThat(json.get("violations")).isNotEmpty().allSatisfy(v -> {
            JsonNode at = v.get("location");
            assertThat(at).as("location of " + v).isNotNull();
            assertThat(at.get("path").asText()).isEqualTo("/test/wal");
            assertThat(at.get("offset").isIntegralNumber()).isTrue();
            assertThat(at.get("offset").asLong() % 4096).isZero();
            assertThat(at.get("offset").asLong()).isLessThan(8 * 4096L);
            // The device offset and LBA stay: the file's blocks are somewhere on the device.
            assertThat(v.get("lba").asLong()).isEqualTo(v.get("offset").asLong() / 4096);
            assertThat(v.get("detail").asText()).contains("[in /test/wal at file offset " + at.get("offset").asLong()
                    + "]");
        });
        assertThat(report(SimulatedPathTest.ReusedAsyncBuffer.class, "correct").get("violations")).isEmpty();
    }

    @Test
    void aViolationOnAHostFileNamesThePathAndTheFileOffset() throws Exception {
        EngineExecutionResults r = Kit.run(PathInjectionTest.ReusedBufferOnFile.class, reports);
        Kit.assertCounts(r, 1, 1, 0);
        JsonNode json = report(PathInjectionTest.ReusedBufferOnFile.class, "buggy");
        assertThat(json.get("backend").asText()).isEqualTo("FILE");
        assertLocatedInHostFile(json, "wal", 7);
        JsonNode first = json.get("violations").get(0).get("location");
        assertThat(Kit.failure(r, "buggy").getMessage()).as("the failure message names the file too")
                .contains(first.get("path").asText() + " at file offset " + first.get("offset").asLong() + "): ");
    }

    /** Every violation of {@code json} lies in the host file {@code name}, in one of its first {@code blocks}. */
    static void assertLocatedInHostFile(JsonNode json, String name, int blocks) {
        assertThat(json.get("violations")).isNotEmpty().allSatisfy(v -> {
            JsonNode at = v.get("location");
            assertThat(at).as("location of " + v).isNotNull();
            assertThat(Path.of(at.get("path").asText()).isAbsolute()).isTrue();
            assertThat(Path.of(at.get("path").asText()).getFileName().toString()).isEqualTo(name);
            // The verifying filesystem judges each file on its own: the offset is the file's.
            assertThat(at.get("offset").asLong()).isEqualTo(v.get("offset").asLong());
            assertThat(at.get("offset").asLong() % 4096).isZero();
            assertThat(at.get("offset").asLong()).isLessThan(blocks * 4096L);
            assertThat(v.get("detail").asText()).endsWith("[in " + at.get("path").asText() + " at file offset "
                    + at.get("offset").asLong() + "]");
        });
    }

    @Test
    void aViolationOnTheRawDeviceHasNoLocation() throws Exception {
        EngineExecutionResults r = Kit.run(DetectionTest.ReusedBuffer.class, reports);
        Kit.assertCounts(r, 1, 1, 0);
        JsonNode json = report(DetectionTest.ReusedBuffer.class, "buggy");
        assertThat(json.get("violations")).isNotEmpty().allSatisfy(v -> assertThat(v.has("location")).isFalse());
        assertThat(Files.readString(reports.resolve(DetectionTest.ReusedBuffer.class.getName()).resolve("buggy.json")))
                .doesNotContain("location").doesNotContain("file offset");
    }

    private JsonNode report(Class<?> testClass, String method) throws Exception {
        return new ObjectMapper().readTree(reports.resolve(testClass.getName()).resolve(method + ".json").toFile());
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
