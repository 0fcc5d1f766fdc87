package io.staleguard.device.hooks;

import static org.apiguardian.api.API.Status.STABLE;

import io.staleguard.device.FileLocation;
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
 * @param file       the file and file offset of the first byte, when a filesystem on the device holds it (see
 *                   {@link io.staleguard.device.FileLocator}); null on the raw device
 */
@API(status = STABLE, since = "0.1")
public record OperationInfo(long sequence, OpKind kind, long offset, long length, long requested, IoMode mode,
                            boolean async, String thread, String caller, FileLocation file) {

    /** An operation on the raw device, in no file. */
    public OperationInfo(long sequence, OpKind kind, long offset, long length, long requested, IoMode mode,
                         boolean async, String thread, String caller) {
        this(sequence, kind, offset, length, requested, mode, async, thread, caller, null);
    }

    /**
     * Whether the operation is in the file at {@code path} and touches a byte of its range {@code [off, off + len)}.
     * A filesystem issues one device call per extent, so the call's bytes follow its first byte in the file.
     */
    public boolean inFile(String path, long off, long len) {
        return file != null && file.path().equals(path) && file.offset() < off + len && off < file.offset() + length;
    }

    /** Whether the operation touches any byte of {@code [off, off + len)}. */
    public boolean overlaps(long off, long len) {
        return offset < off + len && off < offset + length;
    }

    @Override
    public String toString() {
        return "#" + sequence + " " + (async ? "async " : "") + mode + " " + kind + " [" + offset + ",+" + length
                + ")" + (file == null ? "" : " (" + file + ")") + " by " + thread + " via " + caller;
    }
}
