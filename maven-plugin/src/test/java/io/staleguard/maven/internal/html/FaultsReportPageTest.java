package io.staleguard.maven.internal.html;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.maven.internal.Fixtures;
import io.staleguard.maven.internal.check.KindSelection;
import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.model.ReportedFaults;
import io.staleguard.maven.internal.model.TestReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A per-test report of format 1.2 carries each simulated device's faults: the model reads them, the violation page
 * shows the fault spec and the fired faults, the test table names the spec; a report without them still reads.
 */
class FaultsReportPageTest {

    @TempDir
    Path dir;

    private void faultsReport() throws Exception {
        String json = """
                {"format":"staleguard-test-report/1","formatVersion":"1.2",
                 "testId":"[engine:junit-jupiter]/[class:com.example.CacheTest]/[method:buggy()]",
                 "className":"com.example.CacheTest","methodName":"buggy","displayName":"buggy()","status":"FAILED",
                 "seed":"0x00000000000000a1","masterSeed":"0x0000000000000001","backend":"SIMULATED","preset":"MODERN",
                 "operations":3,"bytes":12288,"durationMillis":5,
                 "reproduce":"mvn test -Dtest=CacheTest#buggy -Dstaleguard.seed=0x0000000000000001 -Dstaleguard.faults=read-error@2",
                 "failOn":["STALE_READ"],"counts":{"STALE_READ":1},
                 "devices":[{"label":"device of parameter 0","describe":"SIMULATED 1MiB","backend":"SIMULATED",
                   "preset":"MODERN","seed":"0x1","operations":3,"bytes":12288,"counts":{"STALE_READ":1},
                   "faults":{"spec":"read-error@2","fired":1,"first":[{"id":1,"kind":"READ_ERROR",
                     "origin":"spec read-error@2","sequence":2,"time":20,"thread":"main","offset":8192,"length":4096,
                     "note":"read-error: block 2 is bad"}]}},
                  {"label":"device 'other'","describe":"SIMULATED 1MiB","backend":"SIMULATED","preset":"MODERN",
                   "seed":"0x2","operations":0,"bytes":0,"counts":{},"faults":{"spec":"none","fired":0,"first":[]}}],
                 "violations":[{"kind":"STALE_READ","offset":8192,"length":4096,"lba":2,"expected":"v1","actual":"zeros",
                  "firstDiffOffset":8192,"thread":"main","detail":"served zeros","submitStack":[],"timeline":[
                  {"time":10,"thread":"main","type":"WRITE_SUBMIT","offset":8192,"length":4096,"writeId":1,"note":""},
                  {"time":20,"thread":"main","type":"IO_FAULT","offset":8192,"length":4096,"writeId":0,"note":"read-error: block 2 is bad"}]}]}
                """;
        Path file = dir.resolve("tests").resolve("com.example.CacheTest").resolve("buggy.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
    }

    @Test
    void theModelReadsEachDevicesFaults() throws Exception {
        faultsReport();
        TestReport t = ReportSet.read(dir).tests().get(0);
        assertThat(t.formatVersion()).isEqualTo("1.2");
        ReportedFaults f = t.devices().get(0).faults();
        assertThat(f.spec()).isEqualTo("read-error@2");
        assertThat(f.fired()).isEqualTo(1);
        assertThat(f.first()).singleElement().hasToString(
                "READ_ERROR at [8192,+4096) (spec read-error@2): read-error: block 2 is bad");
        assertThat(t.faultLines()).containsExactly("device of parameter 0: read-error@2 (1 fired)");
    }

    @Test
    void aReportWithoutFaultsStillReads() throws Exception {
        Fixtures.testReport(dir, "com.example.OldTest", "racingRead", "STALE_READ", 1);
        TestReport t = ReportSet.read(dir).tests().get(0);
        assertThat(t.devices()).isEmpty();
        assertThat(t.faultLines()).isEmpty();
    }

    @Test
    void theViolationPageShowsTheFaultSpecAndTheTimelineItsFaultMark() throws Exception {
        faultsReport();
        Fixtures.testReport(dir, "com.example.OldTest", "racingRead", "STALE_READ", 1);
        Path index = HtmlReport.write(ReportSet.read(dir), "com.example:demo", KindSelection.defaults(), 0);
        String html = Files.readString(index);
        assertThat(html).contains("<td class=\"test-faults\">device of parameter 0: read-error@2 (1 fired)</td>");
        Matcher links = Pattern.compile("href=\"(html/[^\"]+)\"").matcher(html);
        String withFaults = null;
        String without = null;
        while (links.find()) {
            String page = Files.readString(dir.resolve(links.group(1)));
            if (page.contains("CacheTest#buggy")) {
                withFaults = page;
            } else {
                without = page;
            }
        }
        assertThat(withFaults).contains("<section id=\"faults\">")
                .contains("device of parameter 0: fault spec <code class=\"fault-spec\">read-error@2</code>, 1 fired")
                .contains("<li><code>READ_ERROR at [8192,+4096) (spec read-error@2): read-error: block 2 is bad"
                        + "</code></li>")
                .doesNotContain("device 'other'")
                .contains("IO_FAULT");
        assertThat(without).isNotNull().doesNotContain("<section id=\"faults\">");
    }
}
