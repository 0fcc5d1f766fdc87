package io.staleguard.maven.internal.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.maven.internal.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import io.staleguard.maven.internal.json.ReportJson;
import io.staleguard.maven.internal.model.ReportedLocation;
import io.staleguard.maven.internal.model.SoakSummary;
import io.staleguard.maven.internal.model.ViolationEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryMergerTest {

    @Test
    void twoShardsSumUp(@TempDir Path a, @TempDir Path b) throws Exception {
        SoakSummary s1 = Fixtures.soak(a, "1/2", 300, 1);
        SoakSummary s2 = Fixtures.soak(b, "2/2", 200, 2);

        SoakSummary m = SummaryMerger.merge(List.of(new SummaryMerger.Input("a", "m1-", s1),
                new SummaryMerger.Input("b", "m2-", s2)));

        assertThat(m.operations()).isEqualTo(500);
        assertThat(m.bytes()).isEqualTo(500 * 4096);
        assertThat(m.counts()).containsEntry("STALE_READ", 3L);
        assertThat(m.scenarios()).singleElement().satisfies(r -> {
            assertThat(r.runs()).isEqualTo(20);
            assertThat(r.operations()).isEqualTo(500);
            assertThat(r.runsWithViolations()).isEqualTo(2);
        });
        assertThat(m.tests()).singleElement().satisfies(t -> assertThat(t.runs()).isEqualTo(6));
        assertThat(m.violations()).extracting(e -> e.id()).containsExactly("m1-v0001", "m2-v0001");
        assertThat(m.violations()).extracting(e -> e.file()).containsExactly("violations/m1-v0001.json",
                "violations/m2-v0001.json");
        assertThat(m.shard()).isEqualTo("1/2+2/2");
        assertThat(m.sources()).hasSize(2).allMatch(s -> s.contains("COMPLETE"));
        assertThat(m.throughput().get(2).operations()).isEqualTo(500);
        assertThat(m.status()).isEqualTo("COMPLETE");
        assertThat(Files.exists(a.resolve("violations/v0001.json"))).isTrue();
    }

    @Test
    void worstStatusWins(@TempDir Path a, @TempDir Path b) throws Exception {
        SoakSummary ok = Fixtures.soak(a, "1/2", 1, 0);
        SoakSummary s = Fixtures.soak(b, "2/2", 1, 0);
        SoakSummary crashed = new SoakSummary(s.format(), "CRASHED", "exit 134", s.startedAt(), 1, 1, s.shard(),
                s.masterSeed(), s.kernels(), s.backend(), s.sources(), 1, 1, s.counts(), s.scenarios(), s.tests(),
                s.workloads(), s.throughput(), s.violations(), s.faults());
        SoakSummary m = SummaryMerger.merge(List.of(new SummaryMerger.Input("a", "m1-", ok),
                new SummaryMerger.Input("b", "m2-", crashed)));
        assertThat(m.status()).isEqualTo("CRASHED");
        assertThat(m.statusDetail()).isEqualTo("b: exit 134");
    }

    @Test
    void aViolationsFileLocationSurvivesWritingReadingAndMergingAndARawOneHasNoneInTheJson(@TempDir Path a)
            throws Exception {
        SoakSummary one = Fixtures.soak(a, "1/1", 300, 1);
        ViolationEntry raw = one.violations().get(0);
        ViolationEntry onFile = new ViolationEntry("v0002", "test", "com.example.WalTest#append", "", "",
                raw.seed(), raw.reproduce(), "", Fixtures.violationOnFile("GUARD_TAG", "/test/wal", 12288)
                .withoutTimeline());
        SoakSummary s = new SoakSummary(one.format(), one.status(), one.statusDetail(), one.startedAt(),
                one.budgetMillis(), one.elapsedMillis(), one.shard(), one.masterSeed(), one.kernels(), one.backend(),
                one.sources(), one.operations(), one.bytes(), one.counts(), one.scenarios(), one.tests(),
                one.workloads(), one.throughput(), List.of(raw, onFile), one.faults());
        Path file = a.resolve("soak-summary.json");
        ReportJson.writeAtomically(file, s);

        JsonNode json = ReportJson.mapper().readTree(file.toFile()).get("violations");
        assertThat(json.get(0).get("violation").has("location")).as("a raw-device violation has none").isFalse();
        assertThat(json.get(1).get("violation").get("location").get("path").asText()).isEqualTo("/test/wal");
        assertThat(json.get(1).get("violation").get("location").get("offset").asLong()).isEqualTo(12288);

        SoakSummary read = ReportJson.read(file, SoakSummary.class, SoakSummary.FORMAT);
        SoakSummary m = SummaryMerger.merge(List.of(new SummaryMerger.Input("a", "m1-", read)));
        assertThat(m.violations().get(0).violation().location()).isNull();
        assertThat(m.violations().get(1).violation().location()).isEqualTo(new ReportedLocation("/test/wal", 12288));
    }

    private static SoakSummary withStatus(SoakSummary s, String status) {
        return new SoakSummary(s.format(), status, status.equals("COMPLETE") ? "" : status.toLowerCase() + " detail",
                s.startedAt(), 1, 1, s.shard(), s.masterSeed(), s.kernels(), s.backend(), s.sources(), 1, 1, s.counts(),
                s.scenarios(), s.tests(), s.workloads(), s.throughput(), s.violations(), s.faults());
    }

    @Test
    void aCompleteShardAndARunningShardMergeAsRunningAndTheMergedSummaryFailsTheCheck(@TempDir Path a,
            @TempDir Path b, @TempDir Path out) throws Exception {
        SoakSummary ok = Fixtures.soak(a, "1/2", 1, 0);
        SoakSummary running = withStatus(Fixtures.soak(b, "2/2", 1, 0), "RUNNING");
        SoakSummary m = SummaryMerger.merge(List.of(new SummaryMerger.Input("a", "m1-", ok),
                new SummaryMerger.Input("b", "m2-", running)));
        assertThat(m.status()).isEqualTo("RUNNING");
        assertThat(m.statusDetail()).isEqualTo("b: running detail");

        io.staleguard.maven.internal.json.ReportJson.writeAtomically(out.resolve("soak-summary.json"), m);
        assertThat(io.staleguard.maven.internal.check.Verdict.of(io.staleguard.maven.internal.check.ReportSet.read(out),
                io.staleguard.maven.internal.check.KindSelection.defaults(), 0).failed()).isTrue();
    }

    @Test
    void theMergeCarriesTheWorstStatusWhateverTheOrder(@TempDir Path a) throws Exception {
        List<String> worstLast = List.of("COMPLETE", "REPLAY", "INTERRUPTED", "RUNNING", "CRASHED");
        SoakSummary base = Fixtures.soak(a, "1/1", 1, 0);
        for (int i = 0; i < worstLast.size(); i++) {
            for (int j = 0; j < worstLast.size(); j++) {
                SoakSummary m = SummaryMerger.merge(List.of(
                        new SummaryMerger.Input("x", "m1-", withStatus(base, worstLast.get(i))),
                        new SummaryMerger.Input("y", "m2-", withStatus(base, worstLast.get(j)))));
                assertThat(m.status()).as(worstLast.get(i) + " + " + worstLast.get(j))
                        .isEqualTo(worstLast.get(Math.max(i, j)));
            }
        }
    }

    @Test
    void aCrashViolationsStateAndExplanationRideAlongAMerge(@TempDir Path a, @TempDir Path t) throws Exception {
        Fixtures.crashTestReport(t, "com.example.SegmentTest", "roll", 3);
        io.staleguard.maven.internal.model.ReportedViolation lost = io.staleguard.maven.internal.check.ReportSet
                .read(t).tests().get(0).violations().get(0);
        SoakSummary one = Fixtures.soak(a, "1/2", 300, 0);
        ViolationEntry crash = new ViolationEntry("v0001", "test", "com.example.SegmentTest#roll", "", "",
                "0x00000000000000a1", lost.reproduce(), "", lost.withoutTimeline());
        SoakSummary s = new SoakSummary(one.format(), one.status(), one.statusDetail(), one.startedAt(),
                one.budgetMillis(), one.elapsedMillis(), one.shard(), one.masterSeed(), one.kernels(), one.backend(),
                one.sources(), one.operations(), one.bytes(), java.util.Map.of("DURABILITY", 1L), one.scenarios(),
                one.tests(), one.workloads(), one.throughput(), List.of(crash), one.faults());
        Path file = a.resolve("soak-summary.json");
        ReportJson.writeAtomically(file, s);

        SoakSummary read = ReportJson.read(file, SoakSummary.class, SoakSummary.FORMAT);
        SoakSummary m = SummaryMerger.merge(List.of(new SummaryMerger.Input("a", "m1-", read),
                new SummaryMerger.Input("b", "m2-", Fixtures.soak(t, "2/2", 100, 0))));
        assertThat(m.counts()).containsEntry("DURABILITY", 1L);
        ViolationEntry merged = m.violations().get(0);
        assertThat(merged.reproduce()).endsWith(" -Dstaleguard.crashState=3");
        assertThat(merged.violation().crash()).isEqualTo(lost.crash());
        assertThat(merged.violation().crash().missing().get(0).missing()).isEqualTo("DIRECTORY_FSYNC");
    }
}
