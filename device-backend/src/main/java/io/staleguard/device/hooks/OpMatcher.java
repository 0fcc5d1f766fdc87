package io.staleguard.device.hooks;

import static org.apiguardian.api.API.Status.STABLE;

import io.staleguard.device.IoMode;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Predicate;
import org.apiguardian.api.API;

/**
 * Selects the device operations an interleaving hook applies to, and the stage at which it applies.
 *
 * <p>Immutable; each refinement returns a new matcher:
 * <pre>{@code
 * OpMatcher.writes().overlapping(4096, 4096).async().atStage(Stage.DMA)
 * OpMatcher.writes().onFile(fs.getPath("/db/wal.log")).overlapping(0, 4096)   // in file offsets
 * }</pre>
 * The default stage is {@link Stage#DMA}.
 */
@API(status = STABLE, since = "0.1")
public final class OpMatcher {

    private final OpKind kind;
    private final long offset;
    private final long length;
    private final IoMode mode;
    private final Boolean async;
    private final String thread;
    private final String file;
    private final Stage stage;
    private final Predicate<OperationInfo> extra;

    private OpMatcher(OpKind kind, long offset, long length, IoMode mode, Boolean async, String thread, String file,
                      Stage stage, Predicate<OperationInfo> extra) {
        this.kind = kind;
        this.offset = offset;
        this.length = length;
        this.mode = mode;
        this.async = async;
        this.thread = thread;
        this.file = file;
        this.stage = stage;
        this.extra = extra;
    }

    /** Every write. */
    public static OpMatcher writes() {
        return new OpMatcher(OpKind.WRITE, 0, Long.MAX_VALUE, null, null, null, null, Stage.DMA, null);
    }

    /** Every read. */
    public static OpMatcher reads() {
        return new OpMatcher(OpKind.READ, 0, Long.MAX_VALUE, null, null, null, null, Stage.DMA, null);
    }

    /** Every operation. */
    public static OpMatcher any() {
        return new OpMatcher(null, 0, Long.MAX_VALUE, null, null, null, null, Stage.DMA, null);
    }

    /**
     * Only operations on the file at {@code path} of a filesystem kept on the device (a
     * {@code SimulatedFileSystem}); {@link #overlapping} then counts in file offsets, not device offsets. The
     * device must know its files ({@code VerifyingDevice.locateFiles}, which the filesystem calls).
     */
    public OpMatcher onFile(Path path) {
        Objects.requireNonNull(path, "path");
        return onFile(path.toAbsolutePath().normalize().toString());
    }

    /** As {@link #onFile(Path)}, for the file's absolute path in its filesystem ({@code "/db/wal.log"}). */
    public OpMatcher onFile(String path) {
        Objects.requireNonNull(path, "path");
        return new OpMatcher(kind, offset, length, mode, async, thread, path, stage, extra);
    }

    /** Only operations touching a byte of {@code [off, off + len)}: of the device, or of the file after {@link #onFile}. */
    public OpMatcher overlapping(long off, long len) {
        if (off < 0 || len <= 0) {
            throw new IllegalArgumentException("range [" + off + ",+" + len + ") must have offset >= 0 and length > 0");
        }
        return new OpMatcher(kind, off, len, mode, async, thread, file, stage, extra);
    }

    /** Only operations in this I/O mode. */
    public OpMatcher mode(IoMode m) {
        return new OpMatcher(kind, offset, length, Objects.requireNonNull(m, "mode"), async, thread, file, stage, extra);
    }

    /** Only asynchronous operations. */
    public OpMatcher async() {
        return new OpMatcher(kind, offset, length, mode, Boolean.TRUE, thread, file, stage, extra);
    }

    /** Only synchronous operations. */
    public OpMatcher sync() {
        return new OpMatcher(kind, offset, length, mode, Boolean.FALSE, thread, file, stage, extra);
    }

    /** Only operations submitted by the thread with this name. */
    public OpMatcher byThread(String name) {
        return new OpMatcher(kind, offset, length, mode, async, Objects.requireNonNull(name, "thread"), file, stage,
                extra);
    }

    /** Only operations that also satisfy {@code predicate}. */
    public OpMatcher where(Predicate<OperationInfo> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        Predicate<OperationInfo> p = extra == null ? predicate : extra.and(predicate);
        return new OpMatcher(kind, offset, length, mode, async, thread, file, stage, p);
    }

    /** The stage at which matching operations are held (default {@link Stage#DMA}). */
    public OpMatcher atStage(Stage s) {
        return new OpMatcher(kind, offset, length, mode, async, thread, file, Objects.requireNonNull(s, "stage"),
                extra);
    }

    /** The stage this matcher applies at. */
    public Stage stage() {
        return stage;
    }

    /** Whether {@code op}, arriving at {@code at}, is selected. */
    public boolean matches(OperationInfo op, Stage at) {
        return at == stage
                && (kind == null || op.kind() == kind)
                && (file == null ? length == Long.MAX_VALUE || op.overlaps(offset, length)
                        : op.inFile(file, offset, length == Long.MAX_VALUE ? Long.MAX_VALUE - offset : length))
                && (mode == null || op.mode() == mode)
                && (async == null || op.async() == async)
                && (thread == null || thread.equals(op.thread()))
                && (extra == null || extra.test(op));
    }

    @Override
    public String toString() {
        return (kind == null ? "any op" : kind == OpKind.READ ? "reads" : "writes")
                + (file == null ? "" : " on " + file)
                + (length == Long.MAX_VALUE ? "" : " overlapping [" + offset + ",+" + length + ")")
                + (mode == null ? "" : " " + mode) + (async == null ? "" : async ? " async" : " sync")
                + (thread == null ? "" : " by " + thread) + " at " + stage;
    }
}
