package io.staleguard.device.fs.internal;

import io.staleguard.device.IoMode;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The open options of a file channel, checked as the JDK checks them on Linux: neither READ nor WRITE means READ,
 * READ with APPEND and APPEND with TRUNCATE_EXISTING are refused, CREATE, CREATE_NEW and TRUNCATE_EXISTING count
 * only with WRITE, and {@code ExtendedOpenOption.DIRECT} selects {@link IoMode#DIRECT}. {@code sync}: every write
 * syncs what it wrote ({@code DSYNC}, or {@code SYNC}, which also syncs the file's metadata: {@code syncMetadata}).
 */
record FsOpenOptions(boolean read, boolean write, boolean append, boolean create, boolean createNew,
                     boolean truncateExisting, boolean deleteOnClose, boolean sync, boolean syncMetadata, IoMode mode) {

    static FsOpenOptions parse(Set<? extends OpenOption> options) {
        boolean read = false;
        boolean write = false;
        boolean append = false;
        boolean create = false;
        boolean createNew = false;
        boolean truncate = false;
        boolean deleteOnClose = false;
        boolean sync = false;
        boolean syncMetadata = false;
        IoMode mode = IoMode.BUFFERED;
        for (OpenOption o : options) {
            if (o == StandardOpenOption.READ) {
                read = true;
            } else if (o == StandardOpenOption.WRITE) {
                write = true;
            } else if (o == StandardOpenOption.APPEND) {
                append = true;
                write = true;
            } else if (o == StandardOpenOption.CREATE) {
                create = true;
            } else if (o == StandardOpenOption.CREATE_NEW) {
                createNew = true;
            } else if (o == StandardOpenOption.TRUNCATE_EXISTING) {
                truncate = true;
            } else if (o == StandardOpenOption.DELETE_ON_CLOSE) {
                deleteOnClose = true;
            } else if (o == StandardOpenOption.SYNC || o == StandardOpenOption.DSYNC) {
                sync = true;
                syncMetadata |= o == StandardOpenOption.SYNC;
            } else if (o == StandardOpenOption.SPARSE || o == LinkOption.NOFOLLOW_LINKS) {
                continue;
            } else if (isDirect(o)) {
                mode = IoMode.DIRECT;
            } else if (o == null) {
                throw new NullPointerException();
            } else {
                throw new UnsupportedOperationException(o + " not supported");
            }
        }
        if (!read && !write) {
            read = true;
        }
        if (read && append) {
            throw new IllegalArgumentException("READ + APPEND not allowed");
        }
        if (append && truncate) {
            throw new IllegalArgumentException("APPEND + TRUNCATE_EXISTING not allowed");
        }
        return new FsOpenOptions(read, write, append, create && write, createNew && write, truncate && write,
                deleteOnClose, sync, syncMetadata, mode);
    }

    /** {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, recognised by name so no JDK-internal type is needed. */
    static boolean isDirect(OpenOption o) {
        return o instanceof Enum<?> e && "DIRECT".equals(e.name())
                && "com.sun.nio.file.ExtendedOpenOption".equals(o.getClass().getName());
    }
}
