package io.staleguard.maven.internal.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.ViolationKind;
import io.staleguard.maven.internal.Fixtures;
import io.staleguard.maven.internal.json.ReportFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerdictTest {

    @TempDir
    Path dir;

    @Test
    void staleReadInATestFailsWithWordsCountsAndReproduce() throws Exception {
        Fixtures.testReport(dir, "com.example.CacheTest", "racingRead", "STALE_READ", 3);
        Fixtures.testReport(dir, "com.example.CacheTest", "clean", "STALE_READ", 0);

        Verdict v = Verdict.of(ReportSet.read(dir), KindSelection.defaults(), 0);

        assertThat(v.failed()).isTrue();
        assertThat(v.message()).startsWith("Staleguard found I/O consistency violations: stale-read")
                .contains("stale-read              3  (tests 3, soak 0)")
                .contains("com.example.CacheTest#racingRead (seed 0x00000000000000a1): stale-read at offset 8192")
                .contains("reproduce: mvn test -Dtest=CacheTest#racingRead -Dstaleguard.seed=0x0000000000000001");
    }

    @Test
    void aViolationOnAFileIsListedWithThePathAndTheFileOffset() throws Exception {
        Fixtures.testReportOnFile(dir, "com.example.WalTest", "append", "GUARD_TAG", "/test/wal", 12288);
        Fixtures.testReport(dir, "com.example.RawTest", "racingRead", "STALE_READ", 1);

        Verdict v = Verdict.of(ReportSet.read(dir), KindSelection.defaults(), 0);

        assertThat(v.message())
                .contains("com.example.WalTest#append (seed 0x00000000000000a1): guard-tag at offset 8192 (lba 2, "
                        + "4096 bytes, /test/wal at file offset 12288): expected")
                .contains("com.example.RawTest#racingRead (seed 0x00000000000000a1): stale-read at offset 8192 (lba 2, "
                        + "4096 bytes): expected");
    }

    @Test
    void cleanReportsPass() throws Exception {
        Fixtures.testReport(dir, "com.example.CacheTest", "clean", "STALE_READ", 0);
        Fixtures.soak(dir, "1/1", 500, 0);

        Verdict v = Verdict.of(ReportSet.read(dir), KindSelection.defaults(), 0);

        assertThat(v.failed()).isFalse();
        assertThat(v.message()).contains("soak summary COMPLETE with 500 operations");
    }

    @Test
    void soakViolationsCountAndNameTheHazardAndReplayCommand() throws Exception {
        Fixtures.soak(dir, "1/1", 500, 2);

        Verdict v = Verdict.of(ReportSet.read(dir), KindSelection.defaults(), 0);

        assertThat(v.failed()).isTrue();
        assertThat(v.message()).contains("(tests 0, soak 2)").contains("soak scenario H2 on AIO_DIO_IRQ_COMPLETION_2008")
                .contains("-Dstaleguard.replay=H2:0x00000000000000b2");
    }

    @Test
    void maxViolationsToleratesUpToTheLimit() throws Exception {
        Fixtures.testReport(dir, "com.example.T", "m", "GUARD_TAG", 2);
        assertThat(Verdict.of(ReportSet.read(dir), KindSelection.defaults(), 2).failed()).isFalse();
        assertThat(Verdict.of(ReportSet.read(dir), KindSelection.defaults(), 1).failed()).isTrue();
    }

    @Test
    void kindsOutsideFailOnDoNotFail() throws Exception {
        Fixtures.testReport(dir, "com.example.T", "m", "GUARD_TAG", 2);
        Verdict v = Verdict.of(ReportSet.read(dir), Set.of(ViolationKind.STALE_READ), 0);
        assertThat(v.failed()).isFalse();
        assertThat(Verdict.of(ReportSet.read(dir), KindSelection.parse("guard-tag"), 0).message())
                .contains("guard-tag");
    }

    @Test
    void unreportedKindsInUnsupportedMixingDoNotFailByDefault() throws Exception {
        Fixtures.testReport(dir, "com.example.T", "m", "UNSUPPORTED_MIXING", 4);
        assertThat(Verdict.of(ReportSet.read(dir), KindSelection.defaults(), 0).failed()).isFalse();
    }

    @Test
    void crashedSoakFailsTheCheck() throws Exception {
        Fixtures.soak(dir, "1/1", 10, 0);
        Path f = dir.resolve("soak-summary.json");
        Files.writeString(f, Files.readString(f).replace("\"COMPLETE\"", "\"CRASHED\""));
        Verdict v = Verdict.of(ReportSet.read(dir), KindSelection.defaults(), 0);
        assertThat(v.failed()).isTrue();
        assertThat(v.message()).contains("soak did not complete: CRASHED");
    }

    @Test
    void corruptJsonNamesTheFile() throws Exception {
        Path bad = dir.resolve("tests/com.example.T/m.json");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, "{\"format\": \"staleguard-test-report/1\", \"counts\": {");
        assertThatThrownBy(() -> ReportSet.read(dir)).isInstanceOf(ReportFileException.class)
                .hasMessageStartingWith(bad.toString()).hasMessageContaining("not valid JSON")
                .hasMessageNotContaining("\n");
    }

    @Test
    void foreignJsonNamesTheFile() throws Exception {
        Path bad = dir.resolve("tests/com.example.T/m.json");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, "{\"name\": \"package.json\"}");
        assertThatThrownBy(() -> ReportSet.read(dir)).hasMessage(bad + ": not a Staleguard report (no 'format' field;"
                + " expected 'staleguard-test-report/1')");
        Files.writeString(bad, "{\"format\": \"staleguard-test-report/9\"}");
        assertThatThrownBy(() -> ReportSet.read(dir)).hasMessageContaining("unknown report format "
                + "'staleguard-test-report/9'");
        Files.writeString(bad, "[1,2]");
        assertThatThrownBy(() -> ReportSet.read(dir)).hasMessageContaining("not a Staleguard report");
    }

    @Test
    void unknownKindNamesTheFileAndKind() throws Exception {
        Path f = Fixtures.testReport(dir, "com.example.T", "m", "STALE_READ", 1);
        Files.writeString(f, Files.readString(f).replace("\"STALE_READ\":1", "\"WOBBLE\":1"));
        assertThatThrownBy(() -> ReportSet.read(dir)).hasMessage(f + ": unknown violation kind 'WOBBLE'");
    }

    @Test
    void failOnRejectsUnknownKindsInOneLine() {
        assertThatThrownBy(() -> KindSelection.parse("stale-read,wobble"))
                .hasMessageStartingWith("staleguard.failOn: unknown violation kind 'wobble'");
        assertThat(KindSelection.parse("NONE")).isEmpty();
        assertThat(KindSelection.defaults()).contains(ViolationKind.STALE_READ, ViolationKind.TORN_READ,
                ViolationKind.CORRUPT_READ, ViolationKind.GUARD_TAG, ViolationKind.REF_TAG, ViolationKind.APP_TAG,
                ViolationKind.SHORT_TRANSFER).doesNotContain(ViolationKind.UNSUPPORTED_MIXING);
    }

    @Test
    void aPositionRaceIsAKnownKindThatFailsByDefault() throws Exception {
        Fixtures.testReport(dir, "com.example.ReaderTest", "sharedChannel", "POSITION_RACE", 1);

        Verdict v = Verdict.of(ReportSet.read(dir), KindSelection.defaults(), 0);

        assertThat(v.failed()).isTrue();
        assertThat(v.message()).contains("position-race");
        assertThat(KindSelection.parse("position-race")).containsExactly(ViolationKind.POSITION_RACE);
        assertThat(Verdict.of(ReportSet.read(dir), KindSelection.parse("stale-read"), 0).failed()).isFalse();
    }

    @Test
    void aSoakTestThatFailedWithoutAViolationFailsTheCheckWithItsReproduceLine() throws Exception {
        Fixtures.soak(dir, "1/1", 10, 0);
        Path f = dir.resolve("soak-summary.json");
        Files.writeString(f, Files.readString(f).replace("\"failures\" : 0", "\"failures\" : 1")
                .replace("\"firstReproduce\" : \"\",\n    \"firstFailure\" : \"\"",
                        "\"firstReproduce\" : \"mvn test -Dtest=WalTest#append -Dstaleguard.seed=0x2\",\n"
                                + "    \"firstFailure\" : \"AssertionError: lost records\""));
        Verdict v = Verdict.of(ReportSet.read(dir), KindSelection.defaults(), 0);
        assertThat(v.failed()).isTrue();
        assertThat(v.message()).contains("com.example.WalTest#append failed 1 of 3 runs: AssertionError: lost records")
                .contains("reproduce: mvn test -Dtest=WalTest#append -Dstaleguard.seed=0x2");
    }

    private void summaryStatus(String status, String detail) throws Exception {
        Path f = dir.resolve("soak-summary.json");
        Files.writeString(f, Files.readString(f).replace("\"COMPLETE\"", "\"" + status + "\"")
                .replace("\"statusDetail\" : \"\"", "\"statusDetail\" : \"" + detail + "\""));
    }

    @Test
    void aRunningCheckpointLeftByKillingMavenAndTheForkFailsTheCheckEvenWithNoViolations() throws Exception {
        Fixtures.soak(dir, "1/1", 10, 0);
        summaryStatus("RUNNING", "checkpoint; the soak had not finished when this was written");

        Verdict v = Verdict.of(ReportSet.read(dir), KindSelection.defaults(), 0);

        assertThat(v.failed()).isTrue();
        assertThat(v.message()).startsWith("Staleguard soak did not complete: RUNNING - checkpoint;")
                .contains("Maven and its forked JVM were killed").contains("run the soak again")
                .doesNotContain("acceptPartial");
        assertThat(Verdict.of(ReportSet.read(dir), KindSelection.defaults(), 0, true).failed())
                .as("RUNNING is never accepted").isTrue();
    }

    @Test
    void anInterruptedSoakFailsTheCheckUnlessPartialResultsAreAccepted() throws Exception {
        Fixtures.soak(dir, "1/1", 10, 0);
        summaryStatus("INTERRUPTED", "stopped by a signal after 3s of 1m00s; this summary is partial");

        Verdict strict = Verdict.of(ReportSet.read(dir), KindSelection.defaults(), 0);
        assertThat(strict.failed()).isTrue();
        assertThat(strict.message()).contains("did not complete: INTERRUPTED - stopped by a signal after 3s")
                .contains("-Dstaleguard.acceptPartial=true");

        Verdict accepted = Verdict.of(ReportSet.read(dir), KindSelection.defaults(), 0, true);
        assertThat(accepted.failed()).isFalse();
        assertThat(accepted.message()).contains("soak summary INTERRUPTED (partial, accepted by "
                + "staleguard.acceptPartial) with 10 operations");
    }

    @Test
    void anAcceptedInterruptedSoakStillFailsOnWhatItFound() throws Exception {
        Fixtures.soak(dir, "1/1", 10, 2);
        summaryStatus("INTERRUPTED", "stopped by a signal");
        Verdict v = Verdict.of(ReportSet.read(dir), KindSelection.defaults(), 0, true);
        assertThat(v.failed()).isTrue();
        assertThat(v.message()).startsWith("Staleguard found I/O consistency violations: stale-read")
                .doesNotContain("did not complete");
    }

    @Test
    void aWholeSoakPassesAndAReplayIsWhole() throws Exception {
        Fixtures.soak(dir, "1/1", 10, 0);
        assertThat(Verdict.of(ReportSet.read(dir), KindSelection.defaults(), 0).failed()).isFalse();
        summaryStatus("REPLAY", "replay of H2 seed 0x2");
        assertThat(Verdict.of(ReportSet.read(dir), KindSelection.defaults(), 0).failed()).isFalse();
    }
}
