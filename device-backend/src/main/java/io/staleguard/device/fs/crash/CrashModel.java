package io.staleguard.device.fs.crash;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * What survives a power loss: the rule set that decides which volatile operations of a recorded run may or may not
 * reach the media. Under every model, the state at the start of the exploration is durable, file data written
 * before a successful {@code force} of that file is durable, and a directory's entries changed before a successful
 * fsync of that directory are durable. A rename is atomic under every model: the old name or the new one, never
 * neither, and a replaced target is gone exactly when the new name is there. Unsynced writes may be torn at the
 * atomic write unit ({@link CrashSettings#atomicWrite()}).
 */
@API(status = EXPERIMENTAL, since = "0.2")
public enum CrashModel {
    /**
     * Only what was explicitly synced survives, directories included (the default; portable code must survive it).
     * A directory entry (create, mkdir, unlink, rmdir, rename) is durable only after an fsync of its directory (a
     * rename: of the target's directory). A file's size is durable after {@code force(true)}, or after
     * {@code force(false)} when the size grew (POSIX's synchronized I/O data integrity completion includes the
     * metadata needed to read the data back, as Linux {@code fdatasync} does). Every other entry operation, size
     * and write may each persist or not, independently; so a size may persist without its data, whose bytes then
     * read as zeros.
     */
    POSIX,
    /**
     * What ext4 gives with {@code data=ordered} (its default): one journal, and every fsync of any file or directory
     * commits the running transaction, so all metadata changed before the last commit is durable, for every file.
     * The metadata changed after it persists as a prefix (a later periodic commit). The data of a write that maps
     * fresh blocks is written before the commit that maps them, so such a write and its size persist together: a
     * size never persists ahead of the data of the blocks it allocated. Every other write may persist, tear or not:
     * an overwrite, and also an append that ends inside the file's last allocated block, whose new size ext4
     * journals at once while its bytes wait for writeback ({@code ext4_da_write_end} updates the on-disk size when a
     * write ends in a mapped block). A crash can therefore leave such an append's size with a zero-filled or torn
     * tail. A rename over an existing file forces the source's data out first ({@code auto_da_alloc}, on by default;
     * see the ext4 documentation of its mount options). Not modelled: delayed allocation postponing another file's
     * append past a commit (the model lets the commit carry it); {@link #POSIX} explores those states.
     */
    EXT4_ORDERED,
    /**
     * Journaled metadata as {@link #EXT4_ORDERED}, without ordering of data: every write not yet forced may persist
     * or not, including the ones that grow the file, so a persisted size may cover dropped data, whose blocks read
     * as zeros (ext4 {@code data=writeback} and similar filesystems).
     */
    NO_ORDERING
}
