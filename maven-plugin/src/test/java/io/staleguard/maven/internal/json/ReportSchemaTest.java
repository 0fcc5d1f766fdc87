package io.staleguard.maven.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.maven.internal.Fixtures;
import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.model.SoakSummary;
import io.staleguard.maven.internal.model.TestReport;
import io.staleguard.maven.internal.model.ViolationFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report that keeps its {@code format} but lost other fields is an error naming the file and the field, never a
 * clean test or an empty clean summary.
 */
class ReportSchemaTest {

    @TempDir
    Path dir;

    private Path testReport() throws Exception {
        return Fixtures.testReport(dir, "com.example.WalTest", "append", "STALE_READ", 2);
    }

    private static void edit(Path f, String from, String to) throws Exception {
        String s = Files.readString(f);
        assertThat(s).as("fixture holds " + from).contains(from);
        Files.writeString(f, s.replace(from, to));
    }

    @Test
    void theFixturesAsTheExtensionAndTheSoakWriteThemAreValid() throws Exception {
        testReport();
        Fixtures.soak(dir, "1/1", 100, 1);
        ReportSet set = ReportSet.read(dir);
        assertThat(set.tests()).hasSize(1);
        assertThat(set.soak()).isPresent();
        assertThat(set.violationFile("violations/v0001.json")).isPresent();
    }

    @Test
    void aTestReportWithOnlyItsFormatNamesTheFirstMissingField() throws Exception {
        Path f = dir.resolve("tests/com.example.T/m.json");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "{\"format\":\"staleguard-test-report/1\"}");
        assertThatThrownBy(() -> ReportSet.read(dir)).isInstanceOf(ReportFileException.class)
                .hasMessage(f + ": missing required field 'testId' (staleguard-test-report/1, docs/REPORT-FORMAT.md)");
    }

    @Test
    void aFailedTestReportWithoutCountsIsAnErrorNotACleanTest() throws Exception {
        Path f = testReport();
        edit(f, "\"counts\":{\"STALE_READ\":2},", "");
        assertThatThrownBy(() -> ReportSet.read(dir)).hasMessage(f + ": missing required field 'counts' "
                + "(staleguard-test-report/1, docs/REPORT-FORMAT.md)");
    }

    @Test
    void missingOperationsAndViolationsAndAViolationsKindAreNamed() throws Exception {
        Path f = testReport();
        String good = Files.readString(f);
        edit(f, "\"operations\":1200,", "");
        assertThatThrownBy(() -> ReportSet.read(dir)).hasMessageContaining("missing required field 'operations'");
        Files.writeString(f, good);
        edit(f, "{\"kind\":\"STALE_READ\",", "{");
        assertThatThrownBy(() -> ReportSet.read(dir)).hasMessageStartingWith(f.toString())
                .hasMessageContaining("missing required field 'violations[0].kind'");
        Files.writeString(f, good);
        edit(f, ",\"violations\":[", ",\"violationz\":[");
        assertThatThrownBy(() -> ReportSet.read(dir)).hasMessageContaining("missing required field 'violations'");
    }

    @Test
    void wrongTypesAndUnknownStatusesAreNamedWithTheValue() throws Exception {
        Path f = testReport();
        String good = Files.readString(f);
        edit(f, "\"operations\":1200", "\"operations\":\"1200\"");
        assertThatThrownBy(() -> ReportSet.read(dir)).hasMessage(f + ": field 'operations' must be an integer, was "
                + "\"1200\"");
        Files.writeString(f, good);
        edit(f, "\"STALE_READ\":2", "\"STALE_READ\":-2");
        assertThatThrownBy(() -> ReportSet.read(dir)).hasMessage(f + ": field 'counts.STALE_READ' must be a count "
                + "(an integer, 0 or more), was -2");
        Files.writeString(f, good);
        edit(f, "\"status\":\"FAILED\"", "\"status\":\"GREEN\"");
        assertThatThrownBy(() -> ReportSet.read(dir)).hasMessage(f + ": field 'status' is 'GREEN', not a status of "
                + "staleguard-test-report/1 (expected one of [ABORTED, FAILED, PASSED])");
    }

    @Test
    void aSummaryWithOnlyItsFormatOrWithoutCountsIsAnErrorNotAnEmptyCleanSummary() throws Exception {
        Path f = dir.resolve("soak-summary.json");
        Files.writeString(f, "{\"format\":\"staleguard-soak-summary/1\"}");
        assertThatThrownBy(() -> ReportSet.read(dir)).hasMessage(f + ": missing required field 'status' "
                + "(staleguard-soak-summary/1, docs/REPORT-FORMAT.md)");

        Fixtures.soak(dir, "1/1", 100, 1);
        String good = Files.readString(f);
        Files.writeString(f, good.replaceFirst("\"counts\" : \\{[^}]*},", ""));
        assertThatThrownBy(() -> ReportSet.read(dir)).hasMessage(f + ": missing required field 'counts' "
                + "(staleguard-soak-summary/1, docs/REPORT-FORMAT.md)");
        Files.writeString(f, good.replace("\"operations\" : 100,\n  \"bytes\"", "\"bytes\""));
        assertThatThrownBy(() -> ReportSet.read(dir)).hasMessageContaining("missing required field 'operations'");
        Files.writeString(f, good.replace("\"status\" : \"COMPLETE\"", "\"status\" : \"DONE\""));
        assertThatThrownBy(() -> ReportSet.read(dir)).hasMessageContaining("field 'status' is 'DONE', not a status of "
                + "staleguard-soak-summary/1 (expected one of [COMPLETE, CRASHED, INTERRUPTED, REPLAY, RUNNING])");
        Files.writeString(f, good.replace("\"runsWithViolations\" : 1,", ""));
        assertThatThrownBy(() -> ReportSet.read(dir)).hasMessageContaining("missing required field "
                + "'scenarios[0].runsWithViolations'");
    }

    @Test
    void everyReaderChecksTheSchemaNotOnlyCheck() throws Exception {
        Path f = dir.resolve("x.json");
        Files.writeString(f, "{\"format\":\"staleguard-soak-summary/1\",\"status\":\"COMPLETE\"}");
        assertThatThrownBy(() -> ReportJson.read(f, SoakSummary.class, SoakSummary.FORMAT))
                .hasMessageContaining("missing required field 'statusDetail'");
        Files.writeString(f, "{\"format\":\"staleguard-test-report/1\"}");
        assertThatThrownBy(() -> ReportJson.read(f, TestReport.class, TestReport.FORMAT))
                .hasMessageContaining("missing required field 'testId'");
        Files.writeString(f, "{\"format\":\"staleguard-soak-violation/1\",\"timeline\":[]}");
        assertThatThrownBy(() -> ReportJson.read(f, ViolationFile.class, ViolationFile.FORMAT))
                .hasMessage(f + ": missing required field 'entry' (staleguard-soak-violation/1, docs/REPORT-FORMAT.md)");
    }
}
