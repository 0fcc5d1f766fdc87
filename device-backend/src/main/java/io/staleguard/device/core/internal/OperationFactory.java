package io.staleguard.device.core.internal;

import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.hooks.OpKind;
import java.nio.ByteBuffer;

/**
 * Makes the {@link IoOp} of each call. A backend whose I/O path sees operations through a public
 * view supplies a subclass that implements that view, so the path gets the operation itself with
 * no wrapper per call.
 */
@FunctionalInterface
public interface OperationFactory {

    /** Plain operations. */
    OperationFactory PLAIN = IoOp::new;

    /** A new operation; arguments as {@link IoOp#IoOp}. */
    IoOp create(long seq, OpKind kind, boolean async, IoMode mode, IoCaller caller, StackTraceElement[] stack,
                long offset, long requested, long delayNanos, ByteBuffer one, ByteBuffer[] many);
}
