package io.staleguard.device.fs.crash;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One volatile operation of the recorded run (not yet made durable at the crash point) and what became of it in one
 * crash state.
 *
 * @param fate       kept, dropped, torn, or lost
 * @param op         what the operation was: {@code write}, {@code create}, {@code mkdir}, {@code unlink},
 *                   {@code rmdir}, {@code rename}, {@code truncate}, or {@code size} (a file's size, which persists
 *                   apart from the data under the crash models that allow it)
 * @param path       the file or directory it changed (a rename: its source)
 * @param toPath     a rename's target, else empty
 * @param offset     a write's first file offset; a truncate's new size; for {@code size}, the size that persisted
 * @param length     a write's length; for {@code size}, the size the run had reached; else 0
 * @param keptLength for a write, how many of its leading bytes persisted (all when kept, none when dropped)
 * @param time       the device clock when the operation took effect
 * @param text       the operation's fate in words, as the violation's detail lists it (a kept one, which the detail
 *                   only counts, as {@code "kept: write `/test/wal.log` [0, +100) (t=5)"})
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record VolatileOperation(Fate fate, String op, String path, String toPath, long offset, long length,
                                long keptLength, long time, String text) {

    /** What became of a volatile operation in a crash state. */
    public enum Fate {
        /** It persisted whole. */
        KEPT,
        /** It did not persist. */
        DROPPED,
        /** Only some of its leading atomic write units persisted (writes only). */
        TORN,
        /** Its force failed: it never persists, also not by a later force. */
        LOST
    }

    public VolatileOperation {
        Objects.requireNonNull(fate, "fate");
        Objects.requireNonNull(op, "op");
        path = path == null ? "" : path;
        toPath = toPath == null ? "" : toPath;
        text = text == null ? "" : text;
    }
}
