package io.staleguard.device.fs.internal;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.util.ArrayList;
import java.util.List;

/**
 * One file's range locks, held in this process: as the JDK's own lock table does for one file, an overlapping
 * lock through any channel of the file is an {@link OverlappingFileLockException}.
 */
final class FsLockTable {

    private final List<FsLock> held = new ArrayList<>();

    /** A lock handed out by the table. */
    final class FsLock extends FileLock {
        private boolean valid = true;

        FsLock(java.nio.channels.FileChannel channel, long position, long size, boolean shared) {
            super(channel, position, size, shared);
        }

        FsLock(java.nio.channels.AsynchronousFileChannel channel, long position, long size, boolean shared) {
            super(channel, position, size, shared);
        }

        @Override
        public boolean isValid() {
            synchronized (FsLockTable.this) {
                return valid && acquiredBy().isOpen();
            }
        }

        @Override
        public void release() throws IOException {
            if (!acquiredBy().isOpen()) {
                throw new java.nio.channels.ClosedChannelException();
            }
            synchronized (FsLockTable.this) {
                valid = false;
                held.remove(this);
            }
        }
    }

    synchronized FileLock lock(Channel channel, long position, long size, boolean shared) {
        if (position < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        if (size < 0) {
            throw new IllegalArgumentException("Negative size");
        }
        if (position + size < 0) {
            throw new IllegalArgumentException("Negative position + size");
        }
        for (FsLock l : held) {
            if (l.overlaps(position, size)) {
                throw new OverlappingFileLockException();
            }
        }
        FsLock l = channel instanceof java.nio.channels.FileChannel f ? new FsLock(f, position, size, shared)
                : new FsLock((java.nio.channels.AsynchronousFileChannel) channel, position, size, shared);
        held.add(l);
        return l;
    }

    synchronized void releaseAll(Channel channel) {
        held.removeIf(l -> {
            if (l.acquiredBy() == channel) {
                l.valid = false;
                return true;
            }
            return false;
        });
    }
}
