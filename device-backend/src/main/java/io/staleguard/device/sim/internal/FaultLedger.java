package io.staleguard.device.sim.internal;

import io.staleguard.device.FileLocator;
import io.staleguard.device.TimelineEvent;
import io.staleguard.device.core.internal.FrontEnd;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.sim.Fault;
import io.staleguard.device.sim.FiredFault;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every fault that fired on one device, in order, each also an {@code IO_FAULT} event of the device's operation
 * log on the oracle's clock, so that a violation's timeline shows the fault next to what it caused. Guarded by
 * the device's {@link DeviceFaults}.
 */
final class FaultLedger {

    private final List<FiredFault> fired = new ArrayList<>();
    private FrontEnd core;

    void bind(FrontEnd frontEnd) {
        this.core = Objects.requireNonNull(frontEnd, "frontEnd");
    }

    /** Records a firing; returns its instant. */
    long fire(Fault f, long seq, String thread, long offset, long length, String note) {
        long t = now();
        fired.add(new FiredFault(f, seq, t, thread, offset, length, note));
        FrontEnd c = core;
        if (c != null) {
            c.operationLog().append(t, thread, TimelineEvent.Type.IO_FAULT, offset, length, 0, note);
        }
        return t;
    }

    List<FiredFault> all() {
        return List.copyOf(fired);
    }

    int size() {
        return fired.size();
    }

    /** The map of a filesystem on the device from device offsets to its files, or null. */
    FileLocator files() {
        FrontEnd c = core;
        return c == null ? null : c.hooks().files();
    }

    FrontEnd frontEnd() {
        return core;
    }

    private long now() {
        FrontEnd c = core;
        HistoryOracle oracle = c == null ? null : c.oracle();
        return oracle != null ? oracle.instant() : System.nanoTime();
    }
}
