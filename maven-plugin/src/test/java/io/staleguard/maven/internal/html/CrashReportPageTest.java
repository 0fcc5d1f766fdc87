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

/** A crash violation's page: the crash card (point, fates, missing persistence) and the crash marks. */
class CrashReportPageTest {

    @TempDir
    Path dir;

    @Test
    void theCrashViolationsPageListsItsStateAndDrawsTheCrashPoint() throws Exception {
        Fixtures.crashTestReport(dir, "com.example.SegmentTest", "roll", 3);
        Fixtures.testReport(dir, "com.example.CacheTest", "racingRead", "STALE_READ", 1);

        Path index = HtmlReport.write(ReportSet.read(dir), "com.example:demo", KindSelection.defaults(), 0);
        String html = Files.readString(index);
        assertThat(html).contains("durability").contains("crash-recovery");

        String durability = page(html, "durability");
        assertThat(durability).contains("<h2>Crash state 3 (POSIX)</h2>")
                .contains("<p id=\"crash-point\">crash state 3 (POSIX): power lost just after "
                        + "acknowledge(/test/wal/seg-2.log) at t=230</p>")
                .contains("<p id=\"crash-counts\">kept 0, dropped 1, torn 0</p>")
                .contains("<li><code>DIRECTORY_FSYNC</code> on <code>/test/wal/</code>: `/test/wal/seg-2.log` was "
                        + "created at t=110, and its data forced at t=220, but its directory `/test/wal/` was never "
                        + "fsynced after the create.</li>")
                .contains("<ul id=\"crash-dropped\" class=\"crash-list\"><li><code>dropped: create "
                        + "`/test/wal/seg-2.log` (t=110)</code></li>")
                .doesNotContain("id=\"crash-torn\"").doesNotContain("id=\"crash-kept\"");
        assertThat(durability).contains("<code id=\"reproduce\">" + Fixtures.CRASH_LINE
                + " -Dstaleguard.crashState=3</code>");
        assertThat(durability).contains("class=\"sg-crash\"").contains("class=\"sg-dropped\"")
                .contains("class=\"sg-torn\"").contains("class=\"sg-ack\"");

        String recovery = page(html, "crash-recovery");
        assertThat(recovery).contains("<h2>Crash state 8 (POSIX)</h2>").doesNotContain("id=\"crash-point\"")
                .contains(" -Dstaleguard.crashState=8</code>");

        String stale = page(html, "stale-read");
        assertThat(stale).doesNotContain("id=\"crash-state\"").doesNotContain("class=\"sg-crash\"");
    }

    @Test
    void theCrashPageRendersInABrowser() throws Exception {
        Fixtures.crashTestReport(dir, "com.example.SegmentTest", "roll", 3);
        Path index = HtmlReport.write(ReportSet.read(dir), "com.example:demo", KindSelection.defaults(), 0);
        Matcher link = Pattern.compile("href=\"(html/[^\"]+)\"").matcher(Files.readString(index));
        assertThat(link.find()).isTrue();
        String dom = Chromium.dumpDom(dir.resolve(link.group(1)));
        assertThat(dom).contains("id=\"crash-state\"").contains("id=\"crash-missing\"").contains("class=\"sg-crash\"");
    }

    /** The text of the first violation page of {@code words} (the index's violation rows link to them in order). */
    private String page(String index, String words) throws Exception {
        Matcher row = Pattern.compile("<a href=\"(html/[^\"]+)\">[^<]*</a></td><td><span class=\"kind\">"
                + Pattern.quote(words) + "</span>").matcher(index);
        assertThat(row.find()).as("a violation row of " + words).isTrue();
        return Files.readString(dir.resolve(row.group(1)));
    }
}
