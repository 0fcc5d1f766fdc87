package io.staleguard.junit.internal;

import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.fs.crash.CrashSettings;
import io.staleguard.device.fs.crash.CrashStateNotPlannedException;
import io.staleguard.device.fs.crash.CrashUseException;
import io.staleguard.junit.Crash;
import io.staleguard.device.fs.Route;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The {@link Crash} of one test, bound to the simulated filesystem of one device. It enforces the rules of use
 * (one {@code explore} per test, acknowledgements only inside the workload, paths of the bound filesystem) and
 * keeps what the exploration found for the verdict.
 */
final class CrashHandle implements Crash {

    private final String test;
    private final String device;
    private final SimulatedFileSystem fs;
    private final CrashSettings settings;
    private final ExplorationEngine engine;
    private final Supplier<Route> route;
    private volatile ExplorationEngine.Session recording;
    private boolean explored;
    private volatile int statesExplored;
    private volatile CrashStates states = CrashStates.NONE;

    /**
     * @param test     the test, for messages ({@code "WalTest#append"})
     * @param device   the bound device, for messages ({@code "device of parameter 'dir' of WalTest#append(..)"})
     * @param fs       the filesystem explored
     * @param settings budget, model, unit, seed and replay
     * @param engine   the exploration engine
     * @param route    the route of the device's {@code Path} when routing is on, else a supplier of null
     */
    CrashHandle(String test, String device, SimulatedFileSystem fs, CrashSettings settings, ExplorationEngine engine,
                Supplier<Route> route) {
        this.test = test;
        this.device = device;
        this.fs = fs;
        this.settings = settings;
        this.engine = engine;
        this.route = route;
    }

    @Override
    public void explore(Workload workload, Recovery recovery) throws Exception {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(recovery, "recovery");
        synchronized (this) {
            if (explored) {
                throw new ExtensionConfigurationException("Crash.explore was already called in " + test
                        + "; one test explores one workload: split it into two tests");
            }
            explored = true;
        }
        ExplorationEngine.Session session = engine.start(fs, settings);
        recording = session;
        try {
            workload.run();
        } catch (Throwable t) {
            recording = null;
            session.close();
            throw t;
        }
        recording = null;
        ExplorationEngine.Result result;
        try {
            result = session.explore(recovery);
        } catch (CrashUseException e) {
            throw badUse(e);
        } catch (CrashStateNotPlannedException e) {
            throw notPlanned(e.state(), e.planned(), e);
        }
        if (settings.replays() && settings.replayState() >= result.planned()) {
            throw notPlanned(settings.replayState(), result.planned(), null);
        }
        statesExplored = result.explored();
        states = new CrashStates(settings.model(), result.violations());
    }

    /** The extension's words for what the engine refused, chosen by the refusal's kind, never by its message. */
    private ExtensionConfigurationException badUse(CrashUseException e) {
        String why = switch (e.problem()) {
            case NOTHING_RECORDED -> "Crash.explore: the workload never touched the simulated filesystem of " + device
                    + ": it wrote, created, renamed, deleted, truncated and synced nothing, so there is no crash "
                    + "state to explore";
            case EXPLORED_TWICE -> "Crash.explore was already called in " + test + "; one test explores one "
                    + "workload: split it into two tests";
            case NOT_RECORDING -> "Crash.explore in " + test + ": " + e.getMessage();
        };
        return new ExtensionConfigurationException(why, e);
    }

    private static ExtensionConfigurationException notPlanned(int state, int planned, Throwable cause) {
        return new ExtensionConfigurationException(Settings.CRASH_STATE + "=" + state + ", but this workload has only "
                + planned + " states under its budget", cause);
    }

    @Override
    public void acknowledge(String key) {
        Objects.requireNonNull(key, "key");
        session("acknowledge").acknowledge(key);
    }

    @Override
    public void acknowledge(Path file) {
        session("acknowledge").acknowledge(own(file));
    }

    @Override
    public void acknowledge(Path file, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("Crash.acknowledge(" + file + ", " + offset + ", " + length
                    + "): offset and length must be >= 0");
        }
        session("acknowledge").acknowledge(own(file), offset, length);
    }

    @Override
    public int statesExplored() {
        return statesExplored;
    }

    /** What the exploration found, for the verdict; {@link CrashStates#NONE} before it. */
    CrashStates states() {
        return states;
    }

    private ExplorationEngine.Session session(String call) {
        ExplorationEngine.Session s = recording;
        if (s == null) {
            throw new ExtensionConfigurationException("Crash." + call + " is only meaningful inside the workload of "
                    + "Crash.explore");
        }
        return s;
    }

    private Path own(Path file) {
        Objects.requireNonNull(file, "file");
        if (file.getFileSystem() == fs) {
            return file;
        }
        // With routing on, the test holds host paths under the route's directory: claim what they name on fs.
        Route r = route.get();
        Path abs = file.toAbsolutePath().normalize();
        if (r != null && abs.getFileSystem() == r.hostDirectory().getFileSystem()
                && abs.startsWith(r.hostDirectory())) {
            String rest = r.hostDirectory().relativize(abs).toString();
            return rest.isEmpty() ? r.target() : r.target().resolve(rest);
        }
        throw new ExtensionConfigurationException("Crash.acknowledge(" + file + "): not a path of " + fs
                + ", the filesystem this Crash is bound to");
    }
}
