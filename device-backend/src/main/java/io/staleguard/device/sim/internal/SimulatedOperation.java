package io.staleguard.device.sim.internal;

import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.core.internal.IoOp;
import io.staleguard.device.hooks.OpKind;
import io.staleguard.device.sim.PathOperation;
import java.nio.ByteBuffer;

/**
 * A simulated device's operation: the front end's operation, seen by I/O paths through the public
 * {@link PathOperation} view that its methods already implement. Adds no state and no behaviour,
 * so a path gets the operation itself, with no wrapper per call.
 */
public final class SimulatedOperation extends IoOp implements PathOperation {

    public SimulatedOperation(long seq, OpKind kind, boolean async, IoMode mode, IoCaller caller, StackTraceElement[] stack,
                       long offset, long requested, long delayNanos, ByteBuffer one, ByteBuffer[] many) {
        super(seq, kind, async, mode, caller, stack, offset, requested, delayNanos, one, many);
    }
}
