package io.staleguard.junit.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.staleguard.junit.kit.Kit;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash violation's per-test report carries its state's explanation as data (format 1.1): the crash point, the
 * kept, dropped and torn operations, and the missing persistence operation; the twin's report has none.
 */
class CrashReportJsonTest {

    @TempDir
    Path reports;

    private JsonNode report(Class<?> sample) throws Exception {
        return new ObjectMapper().readTree(reports.resolve(sample.getName()).resolve("test.json").toFile());
    }

    @Test
    void aLostSegmentsReportExplainsItsStateAsData() throws Exception {
        CrashTwinsTest.SegmentLogWithoutDirectoryFsync.buggy = true;
        Kit.assertCounts(Kit.run(CrashTwinsTest.SegmentLogWithoutDirectoryFsync.class, reports), 0, 1, 0);
        JsonNode doc = report(CrashTwinsTest.SegmentLogWithoutDirectoryFsync.class);
        assertThat(doc.get("format").asText()).isEqualTo("staleguard-test-report/1");
        assertThat(doc.get("formatVersion").asText()).isEqualTo("1.2");
        JsonNode v = doc.get("violations").get(0);
        assertThat(v.get("kind").asText()).isEqualTo("DURABILITY");
        JsonNode crash = v.get("crash");
        int state = crash.get("state").asInt();
        assertThat(doc.get("reproduce").asText()).endsWith(" -Dstaleguard.crashState=" + state);
        JsonNode point = crash.get("point");
        assertThat(point.get("text").asText()).startsWith("crash state " + state + " (POSIX): power lost ");
        assertThat(point.get("placement").asText()).isIn("BEFORE", "AFTER", "END");
        assertThat(point.get("time").isIntegralNumber()).isTrue();
        assertThat(v.get("detail").asText()).contains(point.get("text").asText());

        JsonNode dropped = crash.get("dropped");
        assertThat(dropped.isArray()).isTrue();
        boolean create = false;
        for (JsonNode op : dropped) {
            if (op.get("op").asText().equals("create") && op.get("path").asText().endsWith("/wal/seg-2.log")) {
                create = true;
                assertThat(op.get("fate").asText()).isEqualTo("DROPPED");
                assertThat(v.get("detail").asText()).contains(op.get("text").asText());
            }
        }
        assertThat(create).as("the dropped create of the segment: %s", dropped).isTrue();
        assertThat(crash.get("kept").isArray()).isTrue();
        assertThat(crash.get("torn").isArray()).isTrue();
        assertThat(crash.get("counts").get("dropped").asInt()).isGreaterThanOrEqualTo(dropped.size());
        JsonNode missing = crash.get("missing").get(0);
        assertThat(missing.get("missing").asText()).isEqualTo("DIRECTORY_FSYNC");
        assertThat(missing.get("path").asText()).endsWith("/wal/");
        assertThat(missing.get("lostPath").asText()).endsWith("/wal/seg-2.log");
        assertThat(missing.get("text").asText()).contains("was never fsynced after the create.");
    }

    @Test
    void theTwinsReportHasNoCrashObject() throws Exception {
        CrashTwinsTest.SegmentLogWithoutDirectoryFsync.buggy = false;
        try {
            Kit.assertCounts(Kit.run(CrashTwinsTest.SegmentLogWithoutDirectoryFsync.class, reports), 1, 0, 0);
        } finally {
            CrashTwinsTest.SegmentLogWithoutDirectoryFsync.buggy = true;
        }
        JsonNode doc = report(CrashTwinsTest.SegmentLogWithoutDirectoryFsync.class);
        assertThat(doc.get("status").asText()).isEqualTo("PASSED");
        assertThat(doc.get("violations")).isEmpty();
    }
}
