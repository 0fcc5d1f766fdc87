package io.staleguard.device.core.internal;

import io.staleguard.device.IoCaller;
import java.io.IOException;

/**
 * The way an operation travels between the front end and the media at its DMA moment: straight
 * through ({@link #STRAIGHT}), through a simulated kernel, or with a real backend's per-call mode.
 * A route that caches data (a page cache) writes it back on {@link #flush} and {@link #drain}.
 */
public interface TransferRoute {

    /** Every transfer goes straight to the media. */
    TransferRoute STRAIGHT = new TransferRoute() {
    };

    /** Sees an operation when it is submitted, before its DMA delay, on the submitting thread. */
    default void submitted(IoOp op) {
    }

    /** Performs {@code op}'s transfer and returns true, or returns false to let the front end land it. */
    default boolean transfer(IoOp op) throws IOException {
        return false;
    }

    /** A device flush or a channel force: write back what the route caches. */
    default void flush() throws IOException {
    }

    /**
     * A channel's force ({@code caller}) or a device flush ({@code caller} null): {@link #flush}, failing with
     * {@code "Input/output error"} when {@code failWriteback} (an injected fsync error) or, on a route that keeps
     * writeback errors per caller, when one is due to {@code caller}.
     */
    default void force(IoCaller caller, boolean failWriteback) throws IOException {
        flush();
        if (failWriteback) {
            throw new IOException("Input/output error");
        }
    }

    /** A channel was opened as {@code caller}. */
    default void callerOpened(IoCaller caller) {
    }

    /** The channel of {@code caller} was closed. */
    default void callerClosed(IoCaller caller) {
    }

    /** Before the short-transfer tracker's final check: write back what the route caches. */
    default void drain() {
    }

    /** Called once when the device closes, before the media closes. */
    default void close() throws IOException {
    }
}
