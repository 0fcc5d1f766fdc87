package io.staleguard.maven.internal.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.maven.internal.Fixtures;
import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.html.HtmlReport;
import io.staleguard.maven.internal.check.KindSelection;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A soak starts from nothing of the previous one: after an interrupted soak the report cannot show the old run. */
class PreviousSoakTest {

    @TempDir
    Path dir;

    @Test
    void theOldSummaryViolationsXmlAndHtmlReportGoButThisBuildsTestReportsStay() throws Exception {
        Fixtures.soak(dir, "1/1", 500, 1);
        Path testReport = Fixtures.testReport(dir, "com.example.WalTest", "append", "STALE_READ", 1);
        Path index = HtmlReport.write(ReportSet.read(dir), "g:a", KindSelection.defaults(), 0);
        Files.writeString(dir.resolve("TEST-staleguard-soak.xml"), "<testsuite/>");
        Files.createDirectories(dir.resolve("soak-work/soak-tests"));
        assertThat(index).isEqualTo(dir.resolve("index.html")).isRegularFile();
        assertThat(dir.resolve("html")).isDirectoryContaining(p -> p.toString().endsWith(".html"));
        assertThat(dir.resolve("violations/v0001.json")).isRegularFile();

        PreviousSoak.clear(dir, dir.resolve("soak-work"));

        assertThat(dir.resolve("index.html")).doesNotExist();
        assertThat(dir.resolve("html")).doesNotExist();
        assertThat(dir.resolve("violations")).doesNotExist();
        assertThat(dir.resolve("soak-summary.json")).doesNotExist();
        assertThat(dir.resolve("TEST-staleguard-soak.xml")).doesNotExist();
        assertThat(dir.resolve("soak-work")).isEmptyDirectory();
        assertThat(testReport).isRegularFile();
    }
}
