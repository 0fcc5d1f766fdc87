package io.staleguard.device.hooks;

import static org.apiguardian.api.API.Status.STABLE;

import io.staleguard.device.IoMode;
import org.apiguardian.api.API;

/**
 * What a hook sees of one device operation.
 *
 * @param sequence   the device-wide operation number (1, 2, ...), also the key of its seeded decisions
 * @param kind       read or write
 * @param offset     first byte on the device
 * @param length     bytes the operation will transfer (after any injected short transfer)
 * @param requested  bytes the caller asked for
 * @param mode       buffered or direct
 * @param async      whether the call was asynchronous
 * @param thread     name of the submitting thread
 * @param caller     name of the submitting caller (channel)
 */
@API(status = STABLE, since = "0.1")
public record OperationInfo(long sequence, OpKind kind, long offset, long length, long requested, IoMode mode,
                            boolean async, String thread, String caller) {

    /** Whether the operation touches any byte of {@code [off, off + len)}. */
    public boolean overlaps(long off, long len) {
        return offset < off + len && off < offset + length;
    }

    @Override
    public String toString() {
        return "#" + sequence + " " + (async ? "async " : "") + mode + " " + kind + " [" + offset + ",+" + length
                + ") by " + thread + " via " + caller;
    }
}
