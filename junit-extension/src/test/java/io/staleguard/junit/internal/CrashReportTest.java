package io.staleguard.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.fs.crash.CrashModel;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-test report's optional {@code reproduce} and {@code crash} members of crash violations. */
class CrashReportTest {

    private static final String LINE = "mvn test -Dtest=WalTest#append -Dstaleguard.seed=0x5eed";

    private static TestOutcome outcome(List<Violation> violations, CrashStates crash, String reproduce) {
        Map<ViolationKind, Long> counts = new java.util.EnumMap<>(ViolationKind.class);
        violations.forEach(v -> counts.merge(v.kind(), 1L, Long::sum));
        SourceFindings s = new SourceFindings("device of parameter 0", "simulated", "SIMULATED", "MODERN", 1, 10, 100,
                counts, violations);
        return new TestOutcome("id", "WalTest", "append", "append", "FAILED", 0x5eed, 1, 5, reproduce,
                EnumSet.allOf(ViolationKind.class), List.of(s), crash);
    }

    @Test
    void aCrashViolationCarriesItsStateModelAndOwnReproduceLine() throws Exception {
        Violation lost = Violation.of(ViolationKind.DURABILITY).at(0, 100, 0).saw("acknowledged", "no such file")
                .build();
        Violation threw = Violation.of(ViolationKind.CRASH_RECOVERY).at(0, 0, 0).saw("succeeds", "AssertionError")
                .build();
        Violation stale = Violation.of(ViolationKind.STALE_READ).at(4096, 4096, 1).build();
        CrashStates crash = new CrashStates(CrashModel.POSIX, List.of(new ExplorationEngine.StatedViolation(lost, 3),
                new ExplorationEngine.StatedViolation(threw, 8)));
        String testLine = Reproduce.withCrashState(LINE, 3);
        JsonNode doc = new ObjectMapper().readTree(TestReportDocument.render(
                outcome(List.of(lost, threw, stale), crash, testLine)));

        assertThat(doc.get("format").asText()).isEqualTo("staleguard-test-report/1");
        assertThat(doc.get("reproduce").asText()).isEqualTo(LINE + " -Dstaleguard.crashState=3");
        JsonNode v0 = doc.get("violations").get(0);
        assertThat(v0.get("crash").get("state").asInt()).isEqualTo(3);
        assertThat(v0.get("crash").get("model").asText()).isEqualTo("POSIX");
        assertThat(v0.has("reproduce")).as("same line as the test's").isFalse();
        JsonNode v1 = doc.get("violations").get(1);
        assertThat(v1.get("crash").get("state").asInt()).isEqualTo(8);
        assertThat(v1.get("reproduce").asText()).isEqualTo(LINE + " -Dstaleguard.crashState=8");
        JsonNode v2 = doc.get("violations").get(2);
        assertThat(v2.has("crash")).isFalse();
        assertThat(v2.has("reproduce")).isFalse();
        assertThat(doc.get("counts").get("DURABILITY").asInt()).isEqualTo(1);
        assertThat(doc.get("counts").get("CRASH_RECOVERY").asInt()).isEqualTo(1);
    }

    @Test
    void aTestWithoutCrashesKeepsTheOldShape() throws Exception {
        Violation stale = Violation.of(ViolationKind.STALE_READ).at(4096, 4096, 1).build();
        JsonNode v = new ObjectMapper().readTree(TestReportDocument.render(
                outcome(List.of(stale), CrashStates.NONE, LINE))).get("violations").get(0);
        assertThat(v.has("crash")).isFalse();
        assertThat(v.has("reproduce")).isFalse();
    }

    @Test
    void theCrashStateReplacesAnEarlierOneAndEndsTheLine() {
        assertThat(Reproduce.withCrashState(LINE + " -Dstaleguard.crashState=5 -Dstaleguard.kernel=MODERN", 9))
                .isEqualTo(LINE + " -Dstaleguard.kernel=MODERN -Dstaleguard.crashState=9");
        assertThat(Reproduce.withCrashState(LINE, 0)).endsWith(" -Dstaleguard.crashState=0");
    }

    @Test
    void theFirstFailingCrashViolationPicksTheTestsState() {
        Violation lost = Violation.of(ViolationKind.DURABILITY).at(0, 100, 0).build();
        Violation threw = Violation.of(ViolationKind.CRASH_RECOVERY).at(0, 0, 0).build();
        CrashStates crash = new CrashStates(CrashModel.POSIX, List.of(new ExplorationEngine.StatedViolation(lost, 3),
                new ExplorationEngine.StatedViolation(threw, 8)));
        assertThat(crash.firstFailing(List.of(lost, threw), EnumSet.of(ViolationKind.CRASH_RECOVERY))).hasValue(8);
        assertThat(crash.firstFailing(List.of(threw, lost), EnumSet.allOf(ViolationKind.class))).hasValue(8);
        assertThat(crash.firstFailing(List.of(lost), EnumSet.of(ViolationKind.STALE_READ))).isEmpty();
    }

    @Test
    void aViolationTheRecorderLocatedInAFileStillFindsItsStateAndExplanation() {
        Violation threw = Violation.of(ViolationKind.CRASH_RECOVERY).at(0, 0, 0).saw("succeeds", "AssertionError")
                .detail("recovery threw in 3 of 200 crash states").build();
        io.staleguard.device.fs.crash.CrashExplanation why = new io.staleguard.device.fs.crash.CrashExplanation(8,
                CrashModel.POSIX, new io.staleguard.device.fs.crash.CrashPointInfo(1, 2, 30,
                io.staleguard.device.fs.crash.CrashPointInfo.Placement.AFTER, "acknowledge 'op-1'", "crash state 8"),
                List.of(), List.of(), List.of(), List.of(), 0, 0, "crash state 8");
        CrashStates crash = new CrashStates(CrashModel.POSIX, List.of(new ExplorationEngine.StatedViolation(threw, 8,
                why)));
        Violation located = threw.locatedAt(new io.staleguard.device.FileLocation("/test/translog.tlog", 0));
        assertThat(crash.stateOf(located)).hasValue(8);
        assertThat(crash.explanationOf(located)).containsSame(why);
        Violation other = Violation.of(ViolationKind.CRASH_RECOVERY).at(0, 0, 0).saw("succeeds", "AssertionError")
                .detail("recovery threw in 4 of 200 crash states").build();
        assertThat(crash.stateOf(other)).isEmpty();
    }

    @Test
    void anExplanationsListsAreCutAtFiftyAndItsCountsStayExact() throws Exception {
        Violation lost = Violation.of(ViolationKind.DURABILITY).at(0, 100, 0).saw("acknowledged", "no such file")
                .build();
        List<io.staleguard.device.fs.crash.VolatileOperation> kept = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            kept.add(new io.staleguard.device.fs.crash.VolatileOperation(
                    io.staleguard.device.fs.crash.VolatileOperation.Fate.KEPT, "write", "/test/wal", "", i * 100L,
                    100, 100, i, "kept: write `/test/wal` [" + i * 100 + ", +100) (t=" + i + ")"));
        }
        io.staleguard.device.fs.crash.CrashExplanation why = new io.staleguard.device.fs.crash.CrashExplanation(3,
                CrashModel.POSIX, new io.staleguard.device.fs.crash.CrashPointInfo(0, 61, 61,
                io.staleguard.device.fs.crash.CrashPointInfo.Placement.END, "", "crash state 3"), kept, List.of(),
                List.of(), List.of(), 60, 0, "crash state 3");
        CrashStates crash = new CrashStates(CrashModel.POSIX, List.of(new ExplorationEngine.StatedViolation(lost, 3,
                why)));
        JsonNode c = new ObjectMapper().readTree(TestReportDocument.render(outcome(List.of(lost), crash,
                Reproduce.withCrashState(LINE, 3)))).get("violations").get(0).get("crash");
        assertThat(c.get("kept")).hasSize(TestReportDocument.MAX_CRASH_OPERATIONS);
        assertThat(c.get("counts").get("kept").asInt()).isEqualTo(60);
        assertThat(c.get("point").get("placement").asText()).isEqualTo("END");
        assertThat(c.get("kept").get(0).has("toPath")).as("only a rename has a target").isFalse();
    }
}
