package io.staleguard.maven.internal.html;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.maven.internal.Fixtures;
import io.staleguard.maven.internal.check.KindSelection;
import io.staleguard.maven.internal.check.ReportSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report is written whenever there is something to report, whatever the verdict. */
class ReportPublisherTest {

    @TempDir
    Path dir;

    private final ReportPublisher publisher = new ReportPublisher("com.example:demo", KindSelection.defaults(), 0);

    @Test
    void aFailingResultGetsItsReportAndTheLineThatNamesIt() throws Exception {
        Fixtures.testReport(dir, "com.example.CacheTest", "racingRead", "STALE_READ", 1);

        Optional<Path> index = publisher.publish(ReportSet.read(dir));

        assertThat(index).contains(dir.resolve("index.html"));
        assertThat(Files.readString(index.orElseThrow())).contains("Staleguard found I/O consistency violations");
        assertThat(ReportPublisher.reportLine(index.orElseThrow())).endsWith(dir.resolve("index.html").toString())
                .startsWith("The HTML report");
    }

    @Test
    void aCleanResultGetsItsReportToo() throws Exception {
        Fixtures.testReport(dir, "com.example.CacheTest", "clean", "STALE_READ", 0);

        assertThat(publisher.publish(ReportSet.read(dir))).isPresent();
        assertThat(Files.readString(dir.resolve("index.html"))).contains("no violations");
    }

    @Test
    void nothingToReportWritesNoPage() throws Exception {
        assertThat(publisher.publish(ReportSet.read(dir))).isEmpty();
        assertThat(dir.resolve("index.html")).doesNotExist();
    }
}
