package io.staleguard.maven.internal.html;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.maven.internal.Fixtures;
import io.staleguard.maven.internal.check.KindSelection;
import io.staleguard.maven.internal.check.ReportSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    @TempDir
    Path dir;

    @Test
    void indexAndViolationPagesRenderInABrowser() throws Exception {
        Fixtures.testReport(dir, "com.example.CacheTest", "racingRead", "STALE_READ", 1);
        Fixtures.testReport(dir, "com.example.CacheTest", "clean", "STALE_READ", 0);
        Fixtures.soak(dir, "1/1", 900, 1);

        Path index = HtmlReport.write(ReportSet.read(dir), "com.example:demo", KindSelection.defaults(), 0);

        String html = Files.readString(index);
        assertThat(html).as("self-contained: no scripts, no external resources").doesNotContain("<script")
                .doesNotContain("<link").doesNotContainPattern("(src|href)=\"(https?:|//)");
        String dom = Chromium.dumpDom(index);
        assertThat(dom).contains("id=\"summary\"").contains("Staleguard found I/O consistency violations: stale-read");
        assertThat(count(dom, "class=\"test-row\"")).isEqualTo(2);
        assertThat(count(dom, "class=\"scenario-row\"")).isEqualTo(1);
        assertThat(dom).contains("AIO_DIO_IRQ_COMPLETION_2008").contains("class=\"sg-throughput\"")
                .contains("class=\"sg-rate\"");
        assertThat(count(dom, "class=\"violation-row\"")).isEqualTo(2);

        Matcher link = Pattern.compile("href=\"(html/[^\"]+)\"").matcher(dom);
        assertThat(link.find()).isTrue();
        Path page = dir.resolve(link.group(1));
        String violation = Chromium.dumpDom(page);
        assertThat(violation).contains("stale-read at offset 8192").contains("id=\"reproduce\"")
                .contains("mvn test -Dtest=CacheTest#racingRead");
        assertThat(violation).contains("<svg").contains("class=\"sg-timeline\"");
        // per thread lanes, write submit->complete, reads with the version seen, read-ahead, invalidation
        for (String lane : new String[] {"writer-1", "reader-1", "kworker"}) {
            assertThat(violation).contains("class=\"sg-thread\">" + lane + "</text>");
        }
        assertThat(violation).contains("class=\"sg-write\"").contains("class=\"sg-read sg-bad\"")
                .contains("saw v3").contains("class=\"sg-readahead\"").contains("class=\"sg-invalidate\"")
                .contains("class=\"sg-land\"");

        Matcher soakLink = Pattern.compile("href=\"(html/v0001\\.html)\"").matcher(dom);
        assertThat(soakLink.find()).isTrue();
        String soakPage = Chromium.dumpDom(dir.resolve(soakLink.group(1)));
        assertThat(soakPage).contains("Minimal operation log").contains("id=\"minimal-v0001\"")
                .contains("-Dstaleguard.replay=H2:0x00000000000000b2");
    }

    @Test
    void aViolationOnAFileShowsThePathAndTheFileOffsetAndOneOnTheRawDeviceShowsNone() throws Exception {
        Fixtures.testReportOnFile(dir, "com.example.WalTest", "append", "GUARD_TAG", "/test/wal", 12288);
        Fixtures.testReport(dir, "com.example.RawTest", "racingRead", "STALE_READ", 1);

        Path index = HtmlReport.write(ReportSet.read(dir), "com.example:demo", KindSelection.defaults(), 0);

        String dom = Chromium.dumpDom(index);
        assertThat(dom).contains("guard-tag at offset 8192 (lba 2, 4096 bytes, /test/wal at file offset 12288)")
                .contains("stale-read at offset 8192 (lba 2, 4096 bytes): expected");
        String onFile = Chromium.dumpDom(page(dom, "com.example.WalTest#append"));
        assertThat(onFile).contains("<code id=\"violation-file\">/test/wal</code>")
                .contains("<td id=\"violation-file-offset\">12288</td>").contains("device offset / length")
                .contains("8192 / 4096 bytes (lba 2)");
        String raw = Chromium.dumpDom(page(dom, "com.example.RawTest#racingRead"));
        assertThat(raw).doesNotContain("violation-file").doesNotContain("device offset")
                .contains("8192 / 4096 bytes (lba 2)");
    }

    /** The violation page the index row of test {@code name} links to. */
    private Path page(String indexDom, String name) {
        Matcher row = Pattern.compile("<a href=\"(html/[^\"]+)\">[^<]*</a></td><td><span class=\"kind\">[^<]*</span>"
                + "</td><td><code>" + Pattern.quote(name) + "</code>").matcher(indexDom);
        assertThat(row.find()).as("a violation row of " + name).isTrue();
        return dir.resolve(row.group(1));
    }

    @Test
    void emptyDirectoryGivesAnEmptyButValidReport() throws Exception {
        Path index = HtmlReport.write(ReportSet.read(dir), "x:y", KindSelection.defaults(), 0);
        assertThat(Files.readString(index)).contains("no per-test reports").contains("no violations");
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
