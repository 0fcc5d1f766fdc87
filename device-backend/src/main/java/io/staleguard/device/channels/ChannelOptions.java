package io.staleguard.device.channels;

import io.staleguard.device.IoMode;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/** The open options of a device channel, parsed and checked (errors name the option). */
record ChannelOptions(boolean read, boolean write, boolean sync, IoMode mode) {

    static ChannelOptions parse(Set<? extends OpenOption> options) {
        boolean read = false;
        boolean write = false;
        boolean sync = false;
        IoMode mode = IoMode.BUFFERED;
        for (OpenOption o : options) {
            if (o == null) {
                throw new NullPointerException("an open option is null");
            }
            if (o == StandardOpenOption.READ) {
                read = true;
            } else if (o == StandardOpenOption.WRITE) {
                write = true;
            } else if (o == StandardOpenOption.APPEND) {
                throw new UnsupportedOperationException("APPEND is not supported on a block device: its size is fixed, "
                        + "so there is no end to append at");
            } else if (o == StandardOpenOption.SYNC || o == StandardOpenOption.DSYNC) {
                sync = true;
            } else if (o == StandardOpenOption.CREATE || o == StandardOpenOption.CREATE_NEW
                    || o == StandardOpenOption.TRUNCATE_EXISTING || o == StandardOpenOption.SPARSE
                    || o == LinkOption.NOFOLLOW_LINKS) {
                // Meaningless for an existing device of fixed size; Linux ignores O_CREAT/O_TRUNC on block devices too.
                continue;
            } else if (o == StandardOpenOption.DELETE_ON_CLOSE) {
                throw new UnsupportedOperationException("DELETE_ON_CLOSE is not supported: a block device cannot be deleted");
            } else if (isDirect(o)) {
                mode = IoMode.DIRECT;
            } else {
                throw new UnsupportedOperationException("open option " + o + " (" + o.getClass().getName()
                        + ") is not supported on a block device");
            }
        }
        if (!read && !write) {
            read = true;
        }
        return new ChannelOptions(read, write, sync, mode);
    }

    /** {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, recognised by name so no JDK-internal type is needed. */
    static boolean isDirect(OpenOption o) {
        return o instanceof Enum<?> e && "DIRECT".equals(e.name())
                && "com.sun.nio.file.ExtendedOpenOption".equals(o.getClass().getName());
    }
}
