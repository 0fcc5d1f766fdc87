package io.staleguard.device.fs.crash;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * For one item a crash state lost, the persistence operation the program did not do: what was missing, on which
 * path, and for what.
 *
 * @param missing  the kind of operation that was missing
 * @param path     where it was missing: the directory to fsync, or the file to force
 * @param lostPath the path of what was lost (the created or renamed entry, the written file)
 * @param lostAt   the device clock when the lost operation took effect
 * @param text     the sentence the violation's detail prints ({@code "`/test/wal/seg-2.log` was created at t=700, …,
 *                 but its directory `/test/wal/` was never fsynced after the create."})
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record MissingPersistence(Kind missing, String path, String lostPath, long lostAt, String text) {

    /** The persistence operations a lost item can lack. */
    public enum Kind {
        /** An fsync of the directory holding a created, removed or renamed entry (POSIX). */
        DIRECTORY_FSYNC,
        /** Any fsync after a metadata change, which commits the journal (the journaling models). */
        JOURNAL_COMMIT,
        /** A force of the file after a write (or after its size grew). */
        FORCE,
        /** A force of a file before it was renamed over its target. */
        FORCE_BEFORE_RENAME,
        /** A {@code force(true)} after a truncate, which makes the smaller size durable. */
        FORCE_METADATA,
        /** The write itself again: its force failed, so the data never reaches the media by a later force. */
        REWRITE_AFTER_FAILED_FORCE
    }

    public MissingPersistence {
        Objects.requireNonNull(missing, "missing");
        path = path == null ? "" : path;
        lostPath = lostPath == null ? "" : lostPath;
        text = text == null ? "" : text;
    }
}
