package io.staleguard.junit.internal;

import io.staleguard.device.Violation;
import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.fs.crash.CrashExplorer;
import io.staleguard.device.fs.crash.CrashOutcome;
import io.staleguard.device.fs.crash.CrashSettings;
import io.staleguard.device.fs.crash.CrashStateInfo;
import io.staleguard.junit.Crash;
import io.staleguard.junit.CrashState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The {@link ExplorationEngine} over device-backend's {@link CrashExplorer}. */
final class ExplorerAdapter implements ExplorationEngine {

    /** The one instance. */
    static final ExplorerAdapter INSTANCE = new ExplorerAdapter();

    private ExplorerAdapter() {
    }

    @Override
    public Session start(SimulatedFileSystem fs, CrashSettings settings) {
        return new ExplorerSession(CrashExplorer.start(fs, settings));
    }

    /** One exploration: each call goes to the explorer. */
    private record ExplorerSession(CrashExplorer explorer) implements Session {

        @Override
        public void acknowledge(String key) {
            explorer.acknowledge(key);
        }

        @Override
        public void acknowledge(Path file) {
            explorer.acknowledge(file);
        }

        @Override
        public void acknowledge(Path file, long offset, long length) {
            explorer.acknowledge(file, offset, length);
        }

        @Override
        public Result explore(Crash.Recovery recovery) {
            CrashOutcome o = explorer.explore(info -> recovery.recover(new StateView(info)));
            List<StatedViolation> stated = new ArrayList<>();
            for (Violation v : o.violations()) {
                stated.add(new StatedViolation(v, o.stateOf(v), o.explanationOf(v).orElse(null)));
            }
            return new Result(o.planned(), o.explored(), stated);
        }

        @Override
        public void close() {
            explorer.abandon();
        }
    }

    /** The engine's state as the JUnit API shows it. */
    private record StateView(CrashStateInfo info) implements CrashState {

        @Override
        public Set<String> acknowledged() {
            return info.acknowledged();
        }

        @Override
        public int index() {
            return info.index();
        }

        @Override
        public String describe() {
            return info.describe();
        }

        @Override
        public String toString() {
            return info.describe();
        }
    }
}
