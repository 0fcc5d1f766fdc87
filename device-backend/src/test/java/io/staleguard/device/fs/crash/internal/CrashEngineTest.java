package io.staleguard.device.fs.crash.internal;

import static io.staleguard.device.fs.crash.internal.LogBuilder.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.FileLocation;
import io.staleguard.device.Seeds;
import io.staleguard.device.TimelineEvent;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.fs.crash.CrashModel;
import io.staleguard.device.fs.crash.CrashOutcome;
import io.staleguard.device.fs.crash.CrashSettings;
import io.staleguard.device.fs.crash.CrashStateNotPlannedException;
import io.staleguard.device.fs.crash.CrashUseException;
import io.staleguard.device.fs.crash.CrashStateInfo;
import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * The engine end to end without JUnit's extension: hand-made logs of the segment log and translog (the
 * recording half belongs to the persistence log), every planned state written onto a real simulated filesystem,
 * and a recovery that reads it through {@code FileChannel}s. Seed {@link #SEED}; reproduce with
 * {@code mvn test -pl device-backend -Dtest=CrashEngineTest}.
 */
class CrashEngineTest {

    static final long SEED = 0x5eed_e1L;
    private static final String SEG = "/test/wal/seg-2.log";
    private static final String TLOG = "/test/translog.tlog";

    private SimulatedDevice device;
    private SimulatedFileSystem fs;

    @BeforeEach
    void open() {
        device = SimulatedDevice.builder().capacity(16 << 20).blockSize(4096).seed(SEED).build();
        fs = SimulatedFileSystem.on(device);
    }

    @AfterEach
    void close() throws IOException {
        fs.close();
        device.close();
    }

    private static TreeImage base() {
        return TreeImage.empty().dir("/test", 2).dir("/test/wal", 3).file("/test/MANIFEST", 5, bytes(64, 'o'));
    }

    private static CrashLog segmentLog(boolean buggy) {
        LogBuilder b = new LogBuilder().create(3, SEG, 10);
        if (!buggy) {
            b.fsyncDir(3, "/test/wal");
        }
        for (int r = 0; r < 10; r++) {
            b.write(10, SEG, r * 100L, bytes(100, r + 1));
        }
        return b.force(10, SEG, true).claim(SEG, 10).log();
    }

    private static CrashLog translog(boolean buggy) {
        LogBuilder b = new LogBuilder().create(2, TLOG, 11).fsyncDir(2, "/test");
        for (int i = 1; i <= 8; i++) {
            b.write(11, TLOG, (i - 1) * 100L, bytes(100, i));
            if (buggy) {
                b.ack("op-" + i);
            }
        }
        b.force(11, TLOG, false);
        if (!buggy) {
            for (int i = 1; i <= 8; i++) {
                b.ack("op-" + i);
            }
        }
        return b.log();
    }

    /** Every acknowledged op's 100 bytes are in the translog, read through a fresh channel. */
    private void recoverTranslog(CrashStateInfo state) throws IOException {
        Path p = fs.getPath(TLOG);
        if (state.acknowledged().isEmpty()) {
            return;
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            for (String key : state.acknowledged()) {
                int i = Integer.parseInt(key.substring(3));
                ByteBuffer b = ByteBuffer.allocate(100);
                ch.read(b, (i - 1) * 100L);
                if (!Arrays.equals(b.array(), bytes(100, i))) {
                    throw new AssertionError("acknowledged " + key + " is missing from " + p);
                }
            }
        }
    }

    private CrashEngine engine(CrashLog log, CrashSettings settings) throws IOException {
        CrashEngine e = new CrashEngine(new LogTarget(fs, log, base(), settings.atomicWrite()), settings,
                device.recorder());
        e.start();
        return e;
    }

    private static String why(CrashSettings s) {
        return "seed " + Seeds.hex(s.seed()) + ", model " + s.model()
                + "; reproduce with: mvn test -pl device-backend -Dtest=CrashEngineTest";
    }

    @Test
    void aNewFileWhoseDirectoryIsNeverFsyncedLosesItsClaim() throws Exception {
        CrashSettings s = CrashSettings.defaults(SEED);
        CrashOutcome out = engine(segmentLog(true), s).explore(state -> { });
        assertThat(out.violations()).as(why(s)).hasSize(1);
        Violation v = out.violations().get(0);
        assertThat(v.kind()).isEqualTo(ViolationKind.DURABILITY);
        assertThat(v.location()).isEqualTo(new FileLocation(SEG, 0));
        assertThat(v.actual()).startsWith("crash state ").endsWith(": no such file");
        assertThat(v.detail()).contains("but its directory `/test/wal/` was never fsynced after the create.");
        assertThat(out.stateOf(v)).isBetween(0, out.planned() - 1);
        assertThat(v.timeline()).extracting(TimelineEvent::type).contains(TimelineEvent.Type.CRASH,
                TimelineEvent.Type.ACK, TimelineEvent.Type.DROPPED);
        assertThat(device.violations().total()).as("recorded on the device too").isEqualTo(1);
    }

    @Test
    void theSegmentLogThatFsyncsItsDirectoryIsCleanOverEveryPlannedState() throws Exception {
        CrashSettings s = CrashSettings.defaults(SEED);
        CrashOutcome out = engine(segmentLog(false), s).explore(state -> { });
        assertThat(out.violations()).as(why(s)).isEmpty();
        assertThat(out.explored()).isEqualTo(out.planned()).isGreaterThan(10);
        assertThat(device.violations().total()).isZero();
    }

    @Test
    void anAcknowledgementBeforeTheBatchsForceIsOneRecoveryFailure() throws Exception {
        CrashSettings s = CrashSettings.defaults(SEED);
        CrashOutcome out = engine(translog(true), s).explore(this::recoverTranslog);
        assertThat(out.violations()).as(why(s)).hasSize(1);
        Violation v = out.violations().get(0);
        assertThat(v.kind()).isEqualTo(ViolationKind.CRASH_RECOVERY);
        assertThat(v.actual()).startsWith("AssertionError: acknowledged op-");
        assertThat(v.expected()).isEqualTo("recovery succeeds on every reachable crash state");
        assertThat(v.detail()).startsWith("recovery threw in ")
                .contains("power lost just after acknowledge 'op-1'")
                .contains("`/test/translog.tlog` [0, +100) was written at t=")
                .contains("but the file was never forced after it");
        assertThat(v.submitStack()).isNotEmpty().hasSizeLessThanOrEqualTo(CrashEngine.STACK_FRAMES);
        assertThat(v.timeline()).extracting(TimelineEvent::type).contains(TimelineEvent.Type.CRASH);
    }

    @Test
    void acknowledgingAfterTheForceRecoversInEveryState() throws Exception {
        CrashSettings s = CrashSettings.defaults(SEED);
        CrashOutcome out = engine(translog(false), s).explore(this::recoverTranslog);
        assertThat(out.violations()).as(why(s)).isEmpty();
        assertThat(out.explored()).isEqualTo(out.planned()).isGreaterThan(20);
    }

    @Test
    void theReportedStateReplaysAloneAndFailsTheSameWay() throws Exception {
        CrashSettings s = CrashSettings.defaults(SEED);
        CrashOutcome all = engine(translog(true), s).explore(this::recoverTranslog);
        int n = all.firstFailingState();
        close();
        open();
        CrashSettings replay = s.replaying(n);
        CrashOutcome one = engine(translog(true), replay).explore(this::recoverTranslog);
        assertThat(one.explored()).as(why(replay)).isEqualTo(1);
        assertThat(one.violations()).hasSize(1);
        assertThat(one.firstFailingState()).isEqualTo(n);
        assertThat(one.violations().get(0).actual()).isEqualTo(all.violations().get(0).actual());
    }

    @Test
    void aReplayBeyondThePlanNamesTheSetting() throws Exception {
        CrashSettings s = CrashSettings.defaults(SEED).replaying(100_000);
        CrashEngine e = engine(translog(true), s);
        assertThatThrownBy(() -> e.explore(state -> { })).isInstanceOf(CrashStateNotPlannedException.class)
                .hasMessageStartingWith("staleguard.crashState=100000, but this workload has only ")
                .satisfies(t -> {
                    CrashStateNotPlannedException n = (CrashStateNotPlannedException) t;
                    assertThat(n.state()).isEqualTo(100_000);
                    assertThat(n.budget()).isEqualTo(CrashSettings.DEFAULT_BUDGET);
                    assertThat(n.planned()).isPositive().isLessThanOrEqualTo(n.budget());
                });
    }

    @Test
    void recoverySeesTheAcknowledgementsBeforeItsPointAndTheCrashStateOnTheFilesystem() throws Exception {
        List<String> seen = new ArrayList<>();
        CrashOutcome out = engine(translog(false), CrashSettings.defaults(SEED)).explore(state -> {
            boolean exists = Files.exists(fs.getPath(TLOG));
            seen.add(state.index() + ":" + state.acknowledged().size() + ":" + exists);
            assertThat(state.model()).isEqualTo(CrashModel.POSIX);
            assertThat(state.describe()).startsWith("crash state " + state.index() + " (POSIX): power lost just ");
        });
        assertThat(seen).hasSize(out.explored());
        assertThat(seen).anyMatch(x -> x.endsWith(":0:false")).anyMatch(x -> x.endsWith(":8:true"));
    }

    @Test
    void anAbortedRecoverySkipsItsState() throws Exception {
        CrashOutcome out = engine(translog(false), CrashSettings.defaults(SEED)).explore(state -> {
            if (state.index() % 2 == 0) {
                throw new TestAbortedException("not this one");
            }
        });
        assertThat(out.violations()).isEmpty();
        assertThat(out.skipped()).isEqualTo((out.explored() + 1) / 2);
    }

    @Test
    void afterExploringTheFilesystemHoldsTheWorkloadsEndState() throws Exception {
        engine(translog(false), CrashSettings.defaults(SEED)).explore(state -> { });
        byte[] all = Files.readAllBytes(fs.getPath(TLOG));
        assertThat(all).hasSize(800);
        assertThat(Arrays.copyOfRange(all, 700, 800)).isEqualTo(bytes(100, 8));
        assertThat(Files.readAllBytes(fs.getPath("/test/MANIFEST"))).isEqualTo(bytes(64, 'o'));
    }

    @Test
    void exploringTwiceAndAcknowledgingOutsideTheWorkloadAreRefused() throws Exception {
        CrashEngine e = engine(translog(false), CrashSettings.defaults(SEED));
        e.acknowledge("inside");
        e.explore(state -> { });
        assertThatThrownBy(() -> e.explore(state -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessage("Crash.explore was already called; one test explores one workload: split it into two "
                        + "tests")
                .isInstanceOfSatisfying(CrashUseException.class,
                        u -> assertThat(u.problem()).isEqualTo(CrashUseException.Problem.EXPLORED_TWICE));
        assertThatThrownBy(() -> e.acknowledge("late")).isInstanceOf(IllegalStateException.class)
                .hasMessage("Crash.acknowledge is only meaningful inside the workload of Crash.explore")
                .isInstanceOfSatisfying(CrashUseException.class,
                        u -> assertThat(u.problem()).isEqualTo(CrashUseException.Problem.NOT_RECORDING));
    }

    @Test
    void aWorkloadThatNeverTouchedTheFilesystemIsRefused() throws Exception {
        CrashEngine e = engine(new LogBuilder().ack("nothing").log(), CrashSettings.defaults(SEED));
        assertThatThrownBy(() -> e.explore(state -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the workload never touched the simulated filesystem")
                .hasMessageEndingWith("so there is no crash state to explore")
                .isInstanceOfSatisfying(CrashUseException.class,
                        u -> assertThat(u.problem()).isEqualTo(CrashUseException.Problem.NOTHING_RECORDED));
    }

    @Test
    void failuresDifferingOnlyInNumbersAtOneLineAreOneSignature() {
        List<FailureSignature> sigs = new ArrayList<>();
        for (int i = 7; i <= 8; i++) {
            sigs.add(FailureSignature.of(new AssertionError("op-" + i + " missing")));
        }
        assertThat(sigs.get(0)).isEqualTo(sigs.get(1));
        assertThat(sigs.get(0).message()).isEqualTo("op-# missing");
        assertThat(sigs.get(0).frame()).startsWith(CrashEngineTest.class.getName() + ".");
        assertThat(FailureSignature.of(new IllegalStateException("op-7 missing"))).isNotEqualTo(sigs.get(0));
    }

    @Test
    void theRecoverysOwnDeviceViolationsNameTheirCrashState() throws Exception {
        // No device detector fires in a clean recovery: the classifier must be removed after each state.
        engine(translog(false), CrashSettings.defaults(SEED)).explore(this::recoverTranslog);
        assertThat(device.violations().total()).isZero();
    }

    @SuppressWarnings("unused")
    private static void noSuchFile() throws NoSuchFileException {
    }
}
