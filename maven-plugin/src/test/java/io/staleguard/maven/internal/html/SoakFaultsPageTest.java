package io.staleguard.maven.internal.html;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.staleguard.maven.internal.Fixtures;
import io.staleguard.maven.internal.check.KindSelection;
import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.json.ReportJson;
import io.staleguard.maven.internal.merge.SummaryMerger;
import io.staleguard.maven.internal.model.SoakFaults;
import io.staleguard.maven.internal.model.SoakSummary;
import io.staleguard.maven.internal.model.TestStats;
import io.staleguard.maven.internal.model.ViolationEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A soak run with {@code staleguard.faults} names its fault spec and the faults that fired: in the summary's JSON
 * ({@code faults}, and each {@code @Soak} test row's {@code faultsFired}), on the index's soak section and on the page
 * of a {@code @Soak} test's violation; a soak without a spec shows none; a summary before 1.3 still reads; merge keeps
 * the specs and adds the faults.
 */
class SoakFaultsPageTest {

    @TempDir
    Path dir;

    /** The fixture's summary with {@code faults}, its test row firing {@code fired}, and one violation of that test. */
    private SoakSummary soakWith(Path into, SoakFaults faults) throws Exception {
        SoakSummary base = Fixtures.soak(into, "1/1", 1000, 1);
        ViolationEntry scenario = base.violations().get(0);
        ViolationEntry test = new ViolationEntry("v0002", "test", "com.example.WalTest#append", "", "MODERN",
                "0x00000000000000a1", "mvn test -Dtest=WalTest#append -Dstaleguard.seed=0x1 -Dstaleguard.faults="
                + faults.spec(), "", Fixtures.violation("STALE_READ").withoutTimeline());
        SoakSummary s = new SoakSummary(base.format(), base.status(), base.statusDetail(), base.startedAt(),
                base.budgetMillis(), base.elapsedMillis(), base.shard(), base.masterSeed(), base.kernels(),
                base.backend(), base.sources(), base.operations(), base.bytes(), Map.of("STALE_READ", 2L),
                base.scenarios(), List.of(new TestStats("com.example.WalTest", "append", 3, 1, 30_000, 3000,
                Map.of("STALE_READ", 1L), "mvn x", "boom", faults.fired())), base.workloads(), base.throughput(),
                List.of(scenario, test), faults);
        ReportJson.writeAtomically(into.resolve("soak-summary.json"), s);
        return s;
    }

    @Test
    void theSummaryJsonNamesTheSpecAndTheFaultsFired() throws Exception {
        soakWith(dir, new SoakFaults("read-error=0.001", 12));

        JsonNode json = new ObjectMapper().readTree(dir.resolve("soak-summary.json").toFile());
        assertThat(json.path("faults").path("spec").asText()).isEqualTo("read-error=0.001");
        assertThat(json.path("faults").path("fired").asLong()).isEqualTo(12);
        assertThat(json.path("tests").path(0).path("faultsFired").asLong()).isEqualTo(12);
        SoakSummary read = ReportSet.read(dir).soak().orElseThrow();
        assertThat(read.faults()).isEqualTo(new SoakFaults("read-error=0.001", 12));
        assertThat(read.tests()).singleElement().satisfies(t -> assertThat(t.faultsFired()).isEqualTo(12));
    }

    @Test
    void theIndexAndTheTestViolationsPageNameTheSpecAndTheFaultsFired() throws Exception {
        soakWith(dir, new SoakFaults("read-error=0.001", 12));

        String index = Files.readString(HtmlReport.write(ReportSet.read(dir), "com.example:demo",
                KindSelection.defaults(), 0));
        assertThat(index).contains("<td colspan=\"5\" id=\"soak-faults\">read-error=0.001 (staleguard.faults): 12 "
                + "faults fired in 30,000 operations of the @Soak tests</td>")
                .contains("<td class=\"num soak-test-faults\">12</td>");
        assertThat(Files.readString(dir.resolve("html/v0002.html"))).contains("<section id=\"faults\">")
                .contains("the soak&#39;s @Soak tests (staleguard.faults): fault spec <code class=\"fault-spec\">"
                        + "read-error=0.001</code>, 12 fired");
        assertThat(Files.readString(dir.resolve("html/v0001.html"))).as("a scenario's violation: no faults there")
                .doesNotContain("<section id=\"faults\">");
    }

    @Test
    void aSoakWithoutASpecShowsNoFaults() throws Exception {
        soakWith(dir, SoakFaults.NONE);

        String index = Files.readString(HtmlReport.write(ReportSet.read(dir), "com.example:demo",
                KindSelection.defaults(), 0));
        assertThat(index).doesNotContain("id=\"soak-faults\"");
        assertThat(Files.readString(dir.resolve("html/v0002.html"))).doesNotContain("<section id=\"faults\">");
    }

    @Test
    void testsOwnFaultsThatFiredWithoutASpecAreStillCounted() throws Exception {
        soakWith(dir, new SoakFaults("", 3));

        String index = Files.readString(HtmlReport.write(ReportSet.read(dir), "com.example:demo",
                KindSelection.defaults(), 0));
        assertThat(index).contains("id=\"soak-faults\">the tests&#39; own (staleguard.faults unset): 3 faults fired");
    }

    @Test
    void aSummaryWrittenBeforeTheFaultsMemberStillReads() throws Exception {
        Fixtures.soak(dir, "1/1", 1000, 0);
        Path file = dir.resolve("soak-summary.json");
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode old = (ObjectNode) mapper.readTree(file.toFile());
        old.remove("faults");
        old.withArray("tests").forEach(t -> ((ObjectNode) t).remove("faultsFired"));
        String text = mapper.writeValueAsString(old);
        assertThat(text).doesNotContain("aults");
        Files.writeString(file, text);

        SoakSummary read = ReportSet.read(dir).soak().orElseThrow();
        assertThat(read.faults()).isEqualTo(SoakFaults.NONE);
        assertThat(read.tests()).allSatisfy(t -> assertThat(t.faultsFired()).isZero());
    }

    @Test
    void mergeKeepsEachShardsSpecOnceAndAddsTheFaults() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Path c = Files.createDirectories(dir.resolve("c"));
        SoakSummary m = SummaryMerger.merge(List.of(
                new SummaryMerger.Input("a", "m1-", soakWith(a, new SoakFaults("read-error=0.001", 2))),
                new SummaryMerger.Input("b", "m2-", soakWith(b, new SoakFaults("read-error=0.001", 3))),
                new SummaryMerger.Input("c", "m3-", soakWith(c, new SoakFaults("fsync-error@2", 1)))));

        assertThat(m.faults()).isEqualTo(new SoakFaults("read-error=0.001; fsync-error@2", 6));
        assertThat(m.tests()).singleElement().satisfies(t -> assertThat(t.faultsFired()).isEqualTo(6));
    }
}
