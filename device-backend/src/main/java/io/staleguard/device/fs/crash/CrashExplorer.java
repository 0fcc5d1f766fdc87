package io.staleguard.device.fs.crash;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.fs.crash.internal.CrashEngine;
import io.staleguard.device.fs.crash.internal.FsCrashTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Crash exploration without JUnit: {@link #start} arms a simulated filesystem (what it holds now counts as durable,
 * as after a clean shutdown) and records what the caller's workload does to it; {@link #explore} then resets the
 * filesystem to each chosen crash state and runs the recovery there, and finally leaves the workload's end state in
 * place (the workload's channels closed). Violations are recorded on the filesystem's device and returned.
 *
 * <pre>{@code
 * CrashExplorer crash = CrashExplorer.start(fs, CrashSettings.defaults(seed));
 * workload(fs, crash);                      // calls crash.acknowledge(...) as it tells its clients
 * CrashOutcome out = crash.explore(state -> recover(fs, state));
 * }</pre>
 *
 * One explorer explores one workload: {@link #explore} once.
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class CrashExplorer {

    private final SimulatedFileSystem fs;
    private final CrashEngine engine;

    private CrashExplorer(SimulatedFileSystem fs, CrashEngine engine) {
        this.fs = fs;
        this.engine = engine;
    }

    /**
     * Arms {@code fs} and starts recording.
     *
     * @throws UncheckedIOException if the device cannot be flushed before the base is taken
     */
    public static CrashExplorer start(SimulatedFileSystem fs, CrashSettings settings) {
        Objects.requireNonNull(fs, "fs");
        Objects.requireNonNull(settings, "settings");
        CrashEngine engine = new CrashEngine(FsCrashTarget.of(fs), settings, fs.device().recorder());
        try {
            engine.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot arm crash exploration on " + fs, e);
        }
        return new CrashExplorer(fs, engine);
    }

    /** The settings of this exploration. */
    public CrashSettings settings() {
        return engine.settings();
    }

    /**
     * Records that the program told its client that {@code key} is done; a recovery sees it in
     * {@link CrashStateInfo#acknowledged()} of every state whose crash point is after it.
     *
     * @throws CrashUseException ({@link CrashUseException.Problem#NOT_RECORDING}) outside recording (after
     *                           {@link #explore} or {@link #abandon})
     */
    public void acknowledge(String key) {
        engine.acknowledge(key);
    }

    /**
     * Claims that {@code file} (its bytes, its size and every directory entry on its path) is durable now. Every
     * crash state after the claim must hold it until the program next changes, renames or deletes it; a state that
     * does not is a {@link io.staleguard.device.ViolationKind#DURABILITY} violation.
     *
     * @throws java.nio.file.NoSuchFileException (unchecked-wrapped) when the file does not exist now
     * @throws IllegalArgumentException           when {@code file} is not a path of this filesystem
     */
    public void acknowledge(Path file) {
        claim(file, 0, 0, true);
    }

    /**
     * Claims that {@code [offset, offset + length)} of {@code file}, and its entry chain, is durable now.
     *
     * @throws IllegalArgumentException naming a negative offset or length, or a path of another filesystem
     */
    public void acknowledge(Path file, long offset, long length) {
        claim(file, offset, length, false);
    }

    private void claim(Path file, long offset, long length, boolean whole) {
        Objects.requireNonNull(file, "file");
        if (file.getFileSystem() != fs) {
            throw new IllegalArgumentException("Crash.acknowledge(" + file + "): not a path of " + fs
                    + ", the filesystem this exploration is bound to");
        }
        try {
            engine.claim(file.toAbsolutePath().normalize().toString(), offset, length, whole);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops recording without exploring (the workload failed): the filesystem stays as the workload left it.
     */
    public void abandon() {
        engine.abandon();
    }

    /**
     * Stops recording and explores: checks every claim over the planned states, then runs {@code recovery} on each
     * planned state (only {@link CrashSettings#replayState()} when replaying), with fresh channels, an empty page
     * cache and the device's DMA delays suspended (every detector stays on). Afterwards the filesystem holds the
     * workload's end state, and the delays are back.
     *
     * @throws CrashUseException             when called twice ({@link CrashUseException.Problem#EXPLORED_TWICE}),
     *                                        after {@link #abandon} ({@code NOT_RECORDING}), or when the workload
     *                                        never touched the filesystem ({@code NOTHING_RECORDED})
     * @throws CrashStateNotPlannedException when the replayed state is beyond the plan (naming
     *                                        {@code staleguard.crashState} and the plan's size)
     * @throws UncheckedIOException     when a crash state cannot be set up
     */
    public CrashOutcome explore(RecoveryCheck recovery) {
        // The recorded workload had its DMA delays; recovery on hundreds of states runs without them.
        fs.device().suspendDelays(true);
        try {
            return engine.explore(recovery);
        } catch (IOException e) {
            throw new UncheckedIOException("crash exploration on " + fs + " failed", e);
        } finally {
            fs.device().suspendDelays(false);
        }
    }
}
