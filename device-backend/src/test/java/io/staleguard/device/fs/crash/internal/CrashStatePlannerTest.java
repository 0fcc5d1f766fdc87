package io.staleguard.device.fs.crash.internal;

import static io.staleguard.device.fs.crash.internal.LogBuilder.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.fs.crash.CrashModel;
import io.staleguard.device.fs.crash.CrashSettings;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Phases, exhaustiveness, determinism, dedupe, the give-up bound and stable numbering. */
class CrashStatePlannerTest {

    private static final TreeImage BASE = TreeImage.empty().dir("/test", 2).file("/test/old", 5, bytes(8192, 'o'));

    /** Three overwrites of distinct units, never forced: 8 vectors at the end point. */
    private static CrashLog threeOverwrites() {
        return new LogBuilder().baseSize(5, 8192).write(5, "/test/old", 0, bytes(100, 1))
                .write(5, "/test/old", 1024, bytes(100, 2)).write(5, "/test/old", 2048, bytes(100, 3)).log();
    }

    /** Forty overwrites of distinct units: far more vectors than any budget. */
    private static CrashLog fortyOverwrites() {
        LogBuilder b = new LogBuilder().baseSize(5, 8192);
        for (int i = 0; i < 16; i++) {
            b.write(5, "/test/old", i * 512L, bytes(512, i + 1));
        }
        return b.log();
    }

    private static CrashPlan plan(CrashLog log, long seed, int budget) {
        return new CrashStatePlanner(log, BASE, new CrashSettings(CrashModel.POSIX, budget, 512, seed, -1)).plan();
    }

    @Test
    void theFirstStatesAreTheMinimalOnesThenTheMaximalOnesInLogOrder() {
        CrashPlan p = plan(threeOverwrites(), 1, 200);
        StatePlan first = p.states().get(0);
        assertThat(first.point().point()).isEqualTo(p.points().get(0).point());
        assertThat(first.choices()).isEqualTo(p.setOf(first).minimal());
        assertThat(p.states()).extracting(StatePlan::index).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, p.states().size()).boxed().toList());
    }

    @Test
    void aPointWithFewVectorsIsEnumeratedExhaustively() {
        CrashLog log = threeOverwrites();
        CrashPlan p = plan(log, 1, 200);
        VolatileSet end = new PosixRules().at(log, log.end(), 512);
        assertThat(end.count()).isEqualTo(8);
        CrashImageBuilder images = new CrashImageBuilder(BASE, log, 512);
        Set<StateFingerprint> planned = p.states().stream().map(StatePlan::fingerprint).collect(Collectors.toSet());
        int[] v = end.minimal();
        do {
            // No acknowledgement in the log: the fingerprint is the image's alone.
            assertThat(planned).contains(StateFingerprint.of(images.build(end.resolve(v)), 0));
        } while (CrashStatePlanner.next(v, end));
        assertThat(p.states()).hasSize(8);
    }

    @Test
    void identicalStatesAreExploredOnceAndSamplingGivesUp() {
        CrashPlan p = plan(threeOverwrites(), 1, 1000);
        Set<StateFingerprint> seen = new HashSet<>();
        for (StatePlan s : p.states()) {
            assertThat(seen.add(s.fingerprint())).as("state %d", s.index()).isTrue();
        }
        assertThat(p.states().size()).isLessThan(1000);
        assertThat(p.duplicates()).isPositive();
    }

    @Test
    void aDroppedWriteEqualToTheBaseIsOneStateWithItsKeptTwin() {
        CrashLog log = new LogBuilder().baseSize(5, 8192).write(5, "/test/old", 0, bytes(100, 'o')).log();
        assertThat(plan(log, 1, 200).states()).hasSize(1);
    }

    @Test
    void theSameSeedPlansTheSameStatesAnotherSeedSamplesOthers() {
        CrashLog log = fortyOverwrites();
        List<String> a = plan(log, 7, 150).states().stream().map(s -> s.point().point() + ":" + s.fingerprint())
                .toList();
        List<String> again = plan(log, 7, 150).states().stream().map(s -> s.point().point() + ":" + s.fingerprint())
                .toList();
        List<String> other = plan(log, 8, 150).states().stream().map(s -> s.point().point() + ":" + s.fingerprint())
                .toList();
        assertThat(a).hasSize(150).isEqualTo(again);
        assertThat(other).isNotEqualTo(a);
    }

    @Test
    void theBudgetBoundsThePlanAndAReplayedStateOutsideItIsRefusedNamingTheSetting() {
        CrashPlan p = plan(fortyOverwrites(), 7, 20);
        assertThat(p.states()).hasSize(20);
        assertThat(p.state(19).index()).isEqualTo(19);
        assertThatThrownBy(() -> p.state(20)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("staleguard.crashState=20, but this workload has only 20 states under its budget of 20");
    }

    @Test
    void aClaimsMinimalStateIsPlannedEvenBeyondTheBudget() {
        CrashLog log = new LogBuilder().create(2, "/test/a", 10).write(10, "/test/a", 0, bytes(10, 1))
                .force(10, "/test/a", true).claim("/test/a", 10).log();
        CrashPlan p = plan(log, 3, 1);
        assertThat(p.states()).hasSize(1);
        assertThat(p.states().get(0).point().at()).isInstanceOf(LogRecord.ClaimRec.class);
    }

    @Test
    void crashPointsFallBeforeAndAfterEverySyncAfterEveryAckAndAtTheEnd() {
        CrashLog log = new LogBuilder().baseSize(5, 8192).write(5, "/test/old", 0, bytes(10, 1))
                .force(5, "/test/old", false).ack("k").write(5, "/test/old", 0, bytes(10, 2)).log();
        List<CrashPoint> points = CrashPoints.of(log, 200, 1);
        assertThat(points).extracting(CrashPoint::point).containsExactly(2, 3, 4, 5);
        assertThat(points).extracting(CrashPoint::kind).containsExactly(CrashPoint.Kind.BEFORE_SYNC,
                CrashPoint.Kind.AFTER_SYNC, CrashPoint.Kind.AFTER_ACK, CrashPoint.Kind.END);
        assertThat(CrashText.point(3, CrashModel.POSIX, points.get(0)))
                .isEqualTo("crash state 3 (POSIX): power lost just before force(false) of /test/old at t=120");
        assertThat(CrashText.point(4, CrashModel.POSIX, points.get(2)))
                .isEqualTo("crash state 4 (POSIX): power lost just after acknowledge 'k' at t=130");
    }
}
