package io.staleguard.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * Explores the crash states of a test's simulated filesystem: a power loss at every persistence point of a
 * recorded workload, and recovery run on each state.
 *
 * <p>Inject it as a test parameter beside the test's one {@code @Device Path} on {@link Backend#SIMULATED} (a
 * parameter of the test method or a field of the test class); it needs no annotation. With several, name one:
 * {@code @Device(name = "log")} on both. {@code @Rewriters} may stress another device of the test, not this one. {@link CrashOptions @CrashOptions} on the parameter, the method or the class sets the
 * budget, the crash model and the atomic write unit; {@code staleguard.crashStates} and
 * {@code staleguard.crashModel} override them for a whole run.
 *
 * <pre>{@code
 * @Test
 * void walSurvivesPowerLoss(@Device Path dir, Crash crash) throws Exception {
 *     crash.explore(() -> {
 *         Wal wal = Wal.open(dir.resolve("wal.log"));
 *         wal.append("a");
 *         crash.acknowledge("a");
 *     }, state -> {
 *         Wal wal = Wal.open(dir.resolve("wal.log"));
 *         assertThat(wal.records()).containsAll(state.acknowledged());
 *     });
 * }
 * }</pre>
 *
 * <p>Violations are {@code DURABILITY} (an {@link #acknowledge(Path)} claim lost in a reachable state) and
 * {@code CRASH_RECOVERY} (recovery threw on a state). A failing test's reproduce line ends in
 * {@code -Dstaleguard.crashState=<n>}, which replays that state only.
 */
@API(status = EXPERIMENTAL, since = "0.2")
public interface Crash {

    /** The program whose persistence is explored; it runs once, recorded. */
    @FunctionalInterface
    interface Workload {
        /** Runs the workload on the live filesystem. */
        void run() throws Exception;
    }

    /** The program's recovery, run on every explored crash state with fresh channels and an empty cache. */
    @FunctionalInterface
    interface Recovery {
        /** Recovers from {@code state}; an exception or a failed assertion is a {@code CRASH_RECOVERY}. */
        void recover(CrashState state) throws Exception;
    }

    /**
     * Records {@code workload}, then runs {@code recovery} on each explored crash state. The state at entry counts
     * as durable: put in the workload what you want explored. When this returns, the filesystem holds the
     * workload's end state as after a clean shutdown, and the workload's channels are closed.
     *
     * @throws org.junit.jupiter.api.extension.ExtensionConfigurationException if called twice in one test, if the
     *         workload never touched the simulated filesystem, or if {@code staleguard.crashState} names a state
     *         beyond the plan
     * @throws Exception what the workload threw (nothing is explored then)
     */
    void explore(Workload workload, Recovery recovery) throws Exception;

    /** Notes that the program told its client {@code key} is done; recovery sees it in {@link CrashState#acknowledged()}. */
    void acknowledge(String key);

    /** Claims {@code file} (or directory), its directory entry included, durable now. */
    void acknowledge(Path file);

    /** Claims {@code length} bytes of {@code file} from {@code offset} durable now. */
    void acknowledge(Path file, long offset, long length);

    /** How many crash states the last {@link #explore} ran recovery on; 0 before it. */
    int statesExplored();
}
