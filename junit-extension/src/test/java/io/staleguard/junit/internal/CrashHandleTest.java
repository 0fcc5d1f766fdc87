package io.staleguard.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.fs.crash.CrashSettings;
import io.staleguard.device.fs.crash.CrashStateNotPlannedException;
import io.staleguard.device.fs.crash.CrashUseException;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.junit.Crash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** The rules of use {@link CrashHandle} enforces, over a fake engine that records what it was asked. */
class CrashHandleTest {

    private final SimulatedDevice device = SimulatedDevice.builder().capacity(8 << 20).seed(0xC4A5).build();
    private final SimulatedFileSystem fs = SimulatedFileSystem.on(device);
    private final FakeEngine engine = new FakeEngine();

    @AfterEach
    void close() throws Exception {
        fs.close();
        device.close();
    }

    private CrashHandle handle(CrashSettings settings) {
        return new CrashHandle("WalTest#append", "the device of parameter 'dir' of WalTest#append(Path, Crash)", fs,
                settings, engine, () -> null);
    }

    private static final Crash.Recovery NO_RECOVERY = state -> { };

    @Test
    void exploreRunsTheWorkloadOnceThenExploresAndKeepsTheStatesOfItsViolations() throws Exception {
        Violation v = Violation.of(ViolationKind.DURABILITY).at(0, 10, 0).build();
        engine.result = new ExplorationEngine.Result(200, 200, List.of(new ExplorationEngine.StatedViolation(v, 7)));
        CrashHandle crash = handle(CrashSettings.defaults(1));
        Path file = fs.getPath("/test-file");
        crash.explore(() -> {
            Files.write(file, new byte[10]);
            crash.acknowledge("a");
            crash.acknowledge(file);
            crash.acknowledge(file, 0, 10);
        }, NO_RECOVERY);
        assertThat(engine.calls).containsExactly("start", "ack a", "claim /test-file", "claim /test-file [0, +10)",
                "explore");
        assertThat(crash.statesExplored()).isEqualTo(200);
        assertThat(crash.states().stateOf(v)).hasValue(7);
        assertThat(crash.states().firstFailing(List.of(v), Set.of(ViolationKind.DURABILITY))).hasValue(7);
        assertThat(crash.states().firstFailing(List.of(v), Set.of(ViolationKind.STALE_READ))).isEmpty();
    }

    @Test
    void exploreTwiceIsBadUse() throws Exception {
        CrashHandle crash = handle(CrashSettings.defaults(1));
        crash.explore(() -> { }, NO_RECOVERY);
        assertThatThrownBy(() -> crash.explore(() -> { }, NO_RECOVERY))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Crash.explore was already called in WalTest#append; one test explores one workload: "
                        + "split it into two tests");
        assertThat(engine.calls).containsExactly("start", "explore");
    }

    @Test
    void aWorkloadThatTouchedNothingIsBadUseNamingTheDevice() {
        engine.untouched = true;
        CrashHandle crash = handle(CrashSettings.defaults(1));
        assertThatThrownBy(() -> crash.explore(() -> { }, NO_RECOVERY))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Crash.explore: the workload never touched the simulated filesystem of the device of "
                        + "parameter 'dir' of WalTest#append(Path, Crash): it wrote, created, renamed, deleted, "
                        + "truncated and synced nothing, so there is no crash state to explore");
    }

    @Test
    void acknowledgingOutsideTheWorkloadIsBadUse() throws Exception {
        CrashHandle crash = handle(CrashSettings.defaults(1));
        assertThatThrownBy(() -> crash.acknowledge("early")).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Crash.acknowledge is only meaningful inside the workload of Crash.explore");
        crash.explore(() -> { }, state -> crash.acknowledge("in recovery"));
        assertThatThrownBy(() -> crash.acknowledge(fs.getPath("/late")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("only meaningful inside the workload");
        assertThat(engine.recoveryFailure).isInstanceOf(ExtensionConfigurationException.class);
    }

    @Test
    void aPathOfAnotherFilesystemIsRefused() {
        CrashHandle crash = handle(CrashSettings.defaults(1));
        assertThatThrownBy(() -> crash.explore(() -> crash.acknowledge(Path.of("/tmp/elsewhere")), NO_RECOVERY))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("Crash.acknowledge(/tmp/elsewhere): not a path of " + fs
                        + ", the filesystem this Crash is bound to");
        assertThat(engine.calls).containsExactly("start", "abandon");
    }

    @Test
    void aWorkloadThatThrowsAbandonsTheExplorationAndPropagates() {
        CrashHandle crash = handle(CrashSettings.defaults(1));
        assertThatThrownBy(() -> crash.explore(() -> {
            throw new IOException("disk gone");
        }, NO_RECOVERY)).isInstanceOf(IOException.class).hasMessage("disk gone");
        assertThat(engine.calls).containsExactly("start", "abandon");
        assertThat(crash.statesExplored()).isZero();
    }

    @Test
    void aReplayedStateOutsideThePlanIsBadUseNamingTheProperty() {
        engine.result = new ExplorationEngine.Result(200, 0, List.of());
        CrashHandle crash = handle(CrashSettings.defaults(1).replaying(250));
        assertThatThrownBy(() -> crash.explore(() -> { }, NO_RECOVERY))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("staleguard.crashState=250, but this workload has only 200 states under its budget");
    }

    @Test
    void theEnginesRefusalsAreMappedByTheirKindNotTheirMessage() {
        engine.refusal = new CrashUseException(CrashUseException.Problem.EXPLORED_TWICE, "worded otherwise");
        assertThatThrownBy(() -> handle(CrashSettings.defaults(1)).explore(() -> { }, NO_RECOVERY))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Crash.explore was already called in WalTest#append; one test explores one workload: "
                        + "split it into two tests")
                .hasCause(engine.refusal);
        engine.refusal = new CrashUseException(CrashUseException.Problem.NOT_RECORDING, "was abandoned");
        assertThatThrownBy(() -> handle(CrashSettings.defaults(1)).explore(() -> { }, NO_RECOVERY))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Crash.explore in WalTest#append: was abandoned");
        engine.refusal = new CrashStateNotPlannedException(9, 3, 200);
        assertThatThrownBy(() -> handle(CrashSettings.defaults(1)).explore(() -> { }, NO_RECOVERY))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("staleguard.crashState=9, but this workload has only 3 states under its budget");
    }

    @Test
    void anEngineFailureThatIsNoRefusalIsNotCalledBadUse() {
        // Worded like a refusal, but untyped: an engine bug must surface as itself.
        engine.refusal = new IllegalStateException("the workload never touched the simulated filesystem");
        assertThatThrownBy(() -> handle(CrashSettings.defaults(1)).explore(() -> { }, NO_RECOVERY))
                .isSameAs(engine.refusal);
        engine.refusal = new IllegalArgumentException("staleguard.crashState=3, but");
        assertThatThrownBy(() -> handle(CrashSettings.defaults(1).replaying(3)).explore(() -> { }, NO_RECOVERY))
                .isSameAs(engine.refusal);
    }

    @Test
    void negativeRangesAreRefused() {
        CrashHandle crash = handle(CrashSettings.defaults(1));
        assertThatThrownBy(() -> crash.explore(() -> crash.acknowledge(fs.getPath("/f"), -1, 10), NO_RECOVERY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Crash.acknowledge(/f, -1, 10): offset and length must be >= 0");
    }

    /** Records calls; explores by running recovery once on a state 0. */
    private static final class FakeEngine implements ExplorationEngine {
        final List<String> calls = new ArrayList<>();
        ExplorationEngine.Result result = new ExplorationEngine.Result(1, 1, List.of());
        boolean untouched;
        RuntimeException refusal;
        Throwable recoveryFailure;

        @Override
        public Session start(SimulatedFileSystem fs, CrashSettings settings) {
            calls.add("start");
            return new Session() {
                @Override
                public void acknowledge(String key) {
                    calls.add("ack " + key);
                }

                @Override
                public void acknowledge(Path file) {
                    calls.add("claim " + file);
                }

                @Override
                public void acknowledge(Path file, long offset, long length) {
                    calls.add("claim " + file + " [" + offset + ", +" + length + ")");
                }

                @Override
                public Result explore(Crash.Recovery recovery) {
                    calls.add("explore");
                    if (refusal != null) {
                        throw refusal;
                    }
                    if (untouched) {
                        // The handle words it: the engine's message is not what it goes by.
                        throw new CrashUseException(CrashUseException.Problem.NOTHING_RECORDED, "nothing");
                    }
                    if (settings.replays() && settings.replayState() >= result.planned()) {
                        throw new CrashStateNotPlannedException(settings.replayState(), result.planned(),
                                settings.budget());
                    }
                    try {
                        recovery.recover(new io.staleguard.junit.CrashState() {
                            @Override
                            public Set<String> acknowledged() {
                                return Set.of();
                            }

                            @Override
                            public int index() {
                                return 0;
                            }

                            @Override
                            public String describe() {
                                return "state 0";
                            }
                        });
                    } catch (Throwable t) {
                        recoveryFailure = t;
                    }
                    return result;
                }

                @Override
                public void close() {
                    calls.add("abandon");
                }
            };
        }
    }
}
