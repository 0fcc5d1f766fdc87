package io.staleguard.junit.internal;

import io.staleguard.device.Violation;
import io.staleguard.device.fs.crash.CrashExplanation;
import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.fs.crash.CrashSettings;
import io.staleguard.junit.Crash;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link CrashHandle} needs of the crash-exploration engine of device-backend ({@code fs.crash.CrashExplorer}):
 * arm before the workload, take acknowledgements during it, explore after it. A seam, so the handle's bad-use
 * rules are tested without the engine and the engine is reached through one adapter.
 */
public interface ExplorationEngine {

    /** Arms exploration of {@code fs}: the state now counts as durable, and recording starts. */
    Session start(SimulatedFileSystem fs, CrashSettings settings) throws Exception;

    /** One armed exploration. */
    interface Session extends AutoCloseable {

        /** Records that the program told its client {@code key} is done. */
        void acknowledge(String key);

        /** Records a durability claim of a whole file or directory. */
        void acknowledge(Path file);

        /** Records a durability claim of a range of a file. */
        void acknowledge(Path file, long offset, long length);

        /**
         * Stops recording and explores the planned states with {@code recovery}; violations go to the device's
         * recorder.
         *
         * @throws io.staleguard.device.fs.crash.CrashUseException            if the workload touched nothing (or the
         *         session is not recording)
         * @throws io.staleguard.device.fs.crash.CrashStateNotPlannedException if the state to replay is not in the
         *         plan
         */
        Result explore(Crash.Recovery recovery) throws Exception;

        /** Stops recording without exploring (the workload threw); the filesystem keeps its live state. */
        @Override
        void close();
    }

    /**
     * What one exploration did.
     *
     * @param planned    states planned under the budget
     * @param explored   states recovery ran on
     * @param violations the crash violations recorded, each with the state that replays it
     */
    record Result(int planned, int explored, List<StatedViolation> violations) {
        public Result {
            violations = List.copyOf(violations);
        }
    }

    /**
     * A crash violation, the state {@code -Dstaleguard.crashState} replays it with, and that state's explanation as
     * data (null when the engine gave none).
     */
    record StatedViolation(Violation violation, int state, CrashExplanation explanation) {

        /** A crash violation without an explanation as data. */
        public StatedViolation(Violation violation, int state) {
            this(violation, state, null);
        }
    }
}
