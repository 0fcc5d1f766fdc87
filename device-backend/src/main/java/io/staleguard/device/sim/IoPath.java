package io.staleguard.device.sim;

import io.staleguard.device.internal.IoOp;
import java.io.IOException;

/**
 * Extension point: what sits between a {@link SimulatedDevice}'s verifying front end and its
 * media, such as a simulated page cache and Linux I/O path for {@link io.staleguard.device.IoMode#BUFFERED}
 * I/O (package {@code io.staleguard.device.sim.kernel}).
 *
 * <p>The device calls {@link #transfer} at each operation's DMA moment (after argument checks,
 * the short-transfer decision, PI generation at submission, the seeded delay and the
 * {@link io.staleguard.device.hooks.Stage#DMA} hook). A path either performs the transfer itself
 * (copying with {@link IoOp#copyFromCaller}/{@link IoOp#copyToCaller}, landing on the media
 * through {@link SimulatedDevice#transferToMedia}, which verifies PI and tells the oracle) and
 * returns true, or returns false to let the device transfer directly to/from the media. The
 * default device has no path: buffered and direct I/O both go straight to the media.
 */
public interface IoPath {

    /**
     * Performs {@code op}'s transfer, or returns false to let the device do it.
     *
     * @param op     the operation at its DMA moment
     * @param device the device, for media access
     */
    boolean transfer(IoOp op, SimulatedDevice device) throws IOException;

    /**
     * Called when {@code op} is submitted, before its DMA delay and before {@link #transfer}: where
     * the kernel writes back and invalidates cached pages ahead of a direct write. Runs on the
     * submitting thread. The default does nothing.
     */
    default void submitted(IoOp op, SimulatedDevice device) {
    }

    /**
     * Called by {@link SimulatedDevice#flush()}, by a channel's {@code force}, and before the final
     * short-transfer check at {@code finish}/{@code close}: write back dirty data.
     */
    default void flush(SimulatedDevice device) throws IOException {
    }

    /** Called once when the device closes. */
    default void close(SimulatedDevice device) {
    }
}
