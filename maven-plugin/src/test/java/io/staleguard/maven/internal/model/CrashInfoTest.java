package io.staleguard.maven.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.maven.internal.Fixtures;
import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.json.ReportJson;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash violations in per-test reports: format 1.1 is read with its explanation and per-violation reproduce line;
 * reports of format 1.0 (no {@code formatVersion}, no crash, or a crash object of only state and model) are still
 * read.
 */
class CrashInfoTest {

    @TempDir
    Path dir;

    @Test
    void aReportOfFormat11CarriesTheCrashStateItsExplanationAndItsOwnReproduceLine() throws Exception {
        Fixtures.crashTestReport(dir, "com.example.SegmentTest", "roll", 3);
        TestReport t = ReportSet.read(dir).tests().get(0);
        assertThat(t.formatVersion()).isEqualTo("1.1");
        ReportedViolation lost = t.violations().get(0);
        assertThat(lost.parsedKind().inWords()).isEqualTo("durability");
        assertThat(lost.reproduceOr(t.reproduce())).isEqualTo(Fixtures.CRASH_LINE + " -Dstaleguard.crashState=3");
        CrashInfo c = lost.crash();
        assertThat(c.state()).isEqualTo(3);
        assertThat(c.model()).isEqualTo("POSIX");
        assertThat(c.point().placement()).isEqualTo("AFTER");
        assertThat(c.point().time()).isEqualTo(230);
        assertThat(c.point().text()).startsWith("crash state 3 (POSIX): power lost just after");
        assertThat(c.count("dropped")).isEqualTo(1);
        assertThat(c.dropped()).singleElement().satisfies(op -> {
            assertThat(op.op()).isEqualTo("create");
            assertThat(op.path()).isEqualTo("/test/wal/seg-2.log");
        });
        assertThat(c.missing()).singleElement().satisfies(m -> {
            assertThat(m.missing()).isEqualTo("DIRECTORY_FSYNC");
            assertThat(m.path()).isEqualTo("/test/wal/");
            assertThat(m.text()).endsWith("was never fsynced after the create.");
        });
        ReportedViolation threw = t.violations().get(1);
        assertThat(threw.parsedKind().inWords()).isEqualTo("crash-recovery");
        assertThat(threw.crash().state()).isEqualTo(8);
        assertThat(threw.crash().point()).as("a 1.0-shaped crash object").isNull();
        assertThat(threw.crash().count("kept")).isZero();
        assertThat(threw.reproduceOr(t.reproduce())).endsWith(" -Dstaleguard.crashState=8");
    }

    @Test
    void aReportOfFormat10IsStillRead() throws Exception {
        Fixtures.testReport(dir, "com.example.CacheTest", "racingRead", "STALE_READ", 1);
        TestReport t = ReportSet.read(dir).tests().get(0);
        assertThat(t.formatVersion()).isEqualTo("1.0");
        ReportedViolation v = t.violations().get(0);
        assertThat(v.crash()).isNull();
        assertThat(v.reproduce()).isEmpty();
        assertThat(v.reproduceOr(t.reproduce())).isEqualTo(t.reproduce());
    }

    @Test
    void aViolationWithoutCrashWritesNeitherMemberAndOneWithCrashKeepsThemThroughASoakFile() throws Exception {
        String plain = ReportJson.mapper().writeValueAsString(Fixtures.violation("STALE_READ"));
        assertThat(plain).doesNotContain("\"crash\"").doesNotContain("\"reproduce\"");

        Fixtures.crashTestReport(dir, "com.example.SegmentTest", "roll", 3);
        ReportedViolation lost = ReportSet.read(dir).tests().get(0).violations().get(0);
        ReportedViolation back = ReportJson.mapper().readValue(
                ReportJson.mapper().writeValueAsString(lost.withoutTimeline()), ReportedViolation.class);
        assertThat(back.crash()).isEqualTo(lost.crash());
        assertThat(back.reproduce()).isEqualTo(lost.reproduce());
        assertThat(back.timeline()).isEmpty();
    }
}
