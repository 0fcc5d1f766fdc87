package io.staleguard.device.hooks;

import static org.apiguardian.api.API.Status.STABLE;

import io.staleguard.device.FileLocator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apiguardian.api.API;

/**
 * Interleaving hooks of one device: hold chosen operations at chosen stages so a race can be
 * forced deterministically instead of hoped for.
 *
 * <p>Cost when no gate is armed: one volatile read per stage.
 */
@API(status = STABLE, since = "0.1")
public final class DeviceHooks {

    private final List<Gate> gates = new CopyOnWriteArrayList<>();
    private volatile boolean active;
    private volatile FileLocator files;

    /** Arms a one-shot gate that holds the first operation matching {@code matcher}. */
    public Gate pause(OpMatcher matcher) {
        Gate g = new Gate(Objects.requireNonNull(matcher, "matcher"), this::remove);
        gates.add(g);
        active = true;
        return g;
    }

    /** Releases every gate (held operations continue; armed gates are disarmed). */
    public void releaseAll() {
        for (Gate g : gates) {
            g.release();
        }
    }

    /**
     * Sets the map of a filesystem on this device from device offsets to files (null for none), so that the
     * operations hooks see carry {@link OperationInfo#file()}. The device's {@code locateFiles} sets it.
     */
    public void locateFiles(FileLocator locator) {
        this.files = locator;
    }

    /** The filesystem's map from device offsets to files, or null. */
    public FileLocator files() {
        return files;
    }

    /** Whether any gate is armed or holding an operation. */
    public boolean active() {
        return active;
    }

    private void remove(Gate g) {
        gates.remove(g);
        active = !gates.isEmpty();
    }

    /**
     * Called by a device when an asynchronous operation reaches {@code stage}. Returns true if a
     * gate parked it: the device must then not continue; {@code resume} runs on release.
     */
    public boolean parkAsync(OperationInfo op, Stage stage, Runnable resume) {
        if (!active) {
            return false;
        }
        for (Gate g : gates) {
            if (g.park(op, stage, resume)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Called by a device on the calling thread when a synchronous operation reaches
     * {@code stage}; blocks while a gate holds it.
     */
    public void arriveSync(OperationInfo op, Stage stage) {
        if (!active) {
            return;
        }
        for (Gate g : gates) {
            if (g.hold(op, stage)) {
                g.awaitRelease();
                return;
            }
        }
    }
}
