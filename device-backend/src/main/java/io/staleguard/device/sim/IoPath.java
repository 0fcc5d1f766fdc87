package io.staleguard.device.sim;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.IoCaller;
import java.io.IOException;
import org.apiguardian.api.API;

/**
 * Extension point: what sits between a {@link SimulatedDevice}'s verifying front end and its
 * media, such as the simulated page cache and Linux I/O path for
 * {@link io.staleguard.device.IoMode#BUFFERED} I/O ({@code io.staleguard.device.sim.kernel.KernelIoPath}).
 * It speaks public types only: a {@link PathOperation} and the device's {@link MediaPort}.
 *
 * <p>The device calls {@link #transfer} at each operation's DMA moment (after argument checks,
 * the short-transfer decision, PI generation at submission, the seeded delay and the
 * {@link io.staleguard.device.hooks.Stage#DMA} hook). A path either performs the transfer itself
 * (copying with {@link PathOperation#copyFromCaller}/{@link PathOperation#copyToCaller}, landing
 * on the media through {@link MediaPort#transferToMedia}, which verifies PI and tells the oracle)
 * and returns true, or returns false to let the device transfer directly to/from the media. The
 * default device has no path: buffered and direct I/O both go straight to the media.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface IoPath {

    /**
     * Called once when a device is built with this path, before any I/O: the port the path
     * reaches the device through. The default does nothing.
     */
    default void attach(MediaPort port) {
    }

    /**
     * Performs {@code op}'s transfer, or returns false to let the device do it.
     *
     * @param op   the operation at its DMA moment
     * @param port the device's media
     */
    boolean transfer(PathOperation op, MediaPort port) throws IOException;

    /**
     * Called when {@code op} is submitted, before its DMA delay and before {@link #transfer}: where
     * the kernel writes back and invalidates cached pages ahead of a direct write. Runs on the
     * submitting thread. The default does nothing.
     */
    default void submitted(PathOperation op, MediaPort port) {
    }

    /**
     * Called by {@link SimulatedDevice#flush()}, by a channel's {@code force}, and before the final
     * short-transfer check at {@code finish}/{@code close}: write back dirty data.
     */
    default void flush(MediaPort port) throws IOException {
    }

    /**
     * A channel's {@code force} ({@code caller}), or the device's {@link SimulatedDevice#flush()} ({@code caller}
     * null): write back what the path caches and report a writeback error as Linux does. With
     * {@code failWriteback} the device fails this flush (an injected fsync error): every page it writes back fails,
     * and the call throws. A path that keeps writeback errors per open file ({@code errseq_t}) also throws for an
     * error another call's writeback recorded since {@code caller} last reported one. The default writes back with
     * {@link #flush} and throws only when {@code failWriteback}.
     *
     * @throws IOException {@code "Input/output error"} when the flush failed or an unreported writeback error is due
     */
    default void force(IoCaller caller, boolean failWriteback, MediaPort port)
            throws IOException {
        flush(port);
        if (failWriteback) {
            throw new IOException("Input/output error");
        }
    }

    /**
     * A channel of the device was opened as {@code caller} (Linux samples the mapping's writeback error into the
     * new file then). The default does nothing.
     */
    default void callerOpened(IoCaller caller, MediaPort port) {
    }

    /** The channel of {@code caller} was closed. The default does nothing. */
    default void callerClosed(IoCaller caller, MediaPort port) {
    }

    /**
     * The power is lost ({@link SimulatedDevice#powerCycle}): forget every cached page, dirty or
     * not, and every read-ahead or pending invalidation, <em>without</em> writing anything back, and
     * leave no background thread running that could still land data. Called after the device's
     * asynchronous operations finished and before its media is switched. The default does nothing
     * (a path that caches nothing).
     */
    default void powerLost(MediaPort port) {
    }

    /** Called once when the device closes. */
    default void close(MediaPort port) {
    }
}
