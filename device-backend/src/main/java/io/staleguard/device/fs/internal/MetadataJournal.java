package io.staleguard.device.fs.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The ordered record of what changed the namespace and of every fsync, kept in memory. A crash model replays a
 * prefix of it: what a file or directory fsync made durable is what precedes the fsync here.
 */
public final class MetadataJournal {

    /** What an entry records. */
    public enum Kind {
        /** A regular file was created. */
        CREATE,
        /** A directory was created. */
        MKDIR,
        /** A file's name was removed. */
        UNLINK,
        /** A directory was removed. */
        RMDIR,
        /** A name was moved, replacing the target if there was one. */
        RENAME,
        /** A file was cut to a smaller size. */
        TRUNCATE,
        /** A file's times or permissions were set. */
        SET_ATTRIBUTES,
        /** {@code force} on a regular file's channel. */
        FSYNC,
        /** {@code force} on a directory's channel, as Linux's fsync of a directory descriptor. */
        FSYNC_DIRECTORY
    }

    /**
     * One operation.
     *
     * @param sequence its place in the journal, from 1
     * @param kind     what it did
     * @param path     the absolute path it named (the source of a rename)
     * @param target   a rename's target, else null
     * @param inode    the inode number of the file or directory concerned
     */
    public record Entry(long sequence, Kind kind, String path, String target, long inode) {
    }

    private final List<Entry> entries = new ArrayList<>();

    /** Appends an entry and returns it. */
    public synchronized Entry record(Kind kind, String path, String target, long inode) {
        Entry e = new Entry(entries.size() + 1L, kind, path, target, inode);
        entries.add(e);
        return e;
    }

    /** A copy of the entries, oldest first. */
    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }
}
