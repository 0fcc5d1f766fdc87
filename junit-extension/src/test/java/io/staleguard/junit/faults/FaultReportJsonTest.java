package io.staleguard.junit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.staleguard.junit.kit.Kit;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-test report records each simulated device's faults (format 1.2): the canonical spec in effect, as the
 * reproduce line carries it, and the faults that fired, counted and listed.
 */
class FaultReportJsonTest {

    @TempDir
    Path reports;

    private JsonNode report(Class<?> sample, String method) throws Exception {
        return new ObjectMapper().readTree(reports.resolve(sample.getName()).resolve(method + ".json").toFile());
    }

    @Test
    void anAnnotatedSpecAndItsFiredFsyncErrorAreInTheDevicesEntry() throws Exception {
        Kit.assertCounts(Kit.run(FaultSettingsTest.SecondForceFails.class, reports), 1, 0, 0);
        JsonNode doc = report(FaultSettingsTest.SecondForceFails.class, "test");
        assertThat(doc.get("formatVersion").asText()).isEqualTo("1.2");
        JsonNode annotated = doc.get("devices").get(0).get("faults");
        assertThat(annotated.get("spec").asText()).isEqualTo("fsync-error@2");
        assertThat(annotated.get("fired").asLong()).isEqualTo(1);
        JsonNode fired = annotated.get("first").get(0);
        assertThat(fired.get("kind").asText()).isEqualTo("FSYNC_ERROR");
        assertThat(fired.get("origin").asText()).contains("fsync-error@2");
        assertThat(fired.get("thread").asText()).isNotEmpty();
        JsonNode other = doc.get("devices").get(1).get("faults");
        assertThat(other.get("spec").asText()).isEqualTo("none");
        assertThat(other.get("fired").asLong()).isZero();
        assertThat(other.get("first")).isEmpty();
    }

    @Test
    void aFaultArmedByTheTestIsCountedUnderTheSpecNone() throws Exception {
        Kit.run(LatentSectorErrorTest.Store.class, reports);
        JsonNode buggy = report(LatentSectorErrorTest.Store.class, "buggy").get("devices").get(0).get("faults");
        assertThat(buggy.get("spec").asText()).isEqualTo("none");
        assertThat(buggy.get("fired").asLong()).isEqualTo(1);
        JsonNode fired = buggy.get("first").get(0);
        assertThat(fired.get("kind").asText()).isEqualTo("READ_ERROR");
        assertThat(fired.get("offset").asLong()).isEqualTo(2 * 4096);
        assertThat(fired.get("origin").asText()).startsWith("failReads(");
        JsonNode off = report(LatentSectorErrorTest.Store.class, "faultsOff").get("devices").get(0).get("faults");
        assertThat(off.get("fired").asLong()).isZero();
    }

    @Test
    void theParametersSpecIsTheOneTheReproduceLineCarries() throws Exception {
        Kit.run(FaultSettingsTest.RecordRoundTrip.class, reports, "staleguard.faults", "lost-write@1");
        JsonNode doc = report(FaultSettingsTest.RecordRoundTrip.class, "roundTrip");
        JsonNode f = doc.get("devices").get(0).get("faults");
        assertThat(f.get("spec").asText()).isEqualTo("lost-write@1");
        assertThat(doc.get("reproduce").asText()).endsWith("-Dstaleguard.faults=" + f.get("spec").asText());
        assertThat(f.get("fired").asLong()).isEqualTo(1);
        assertThat(f.get("first").get(0).get("kind").asText()).isEqualTo("LOST_WRITE");
    }
}
