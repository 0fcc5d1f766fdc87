package io.staleguard.device.file.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.concurrent.locks.StampedLock;
import jnr.constants.platform.PosixFadvise;
import jnr.posix.POSIX;

/**
 * One open file descriptor (a regular file or a block device), with the positional calls the
 * real backends need: long-offset pread/pwrite on direct buffers, fsync, fdatasync, posix_fadvise.
 *
 * <p>Calls and {@link #close()} are ordered by a read-write lock so a descriptor number is never
 * used after it was closed (and possibly reused by another open). A {@link StampedLock}, not a
 * {@code ReentrantReadWriteLock}: with two threads calling, the latter's per-thread hold counts
 * cost a {@code ThreadLocal} lookup, insert and removal on every call; no call here nests.
 */
public final class PosixFd implements AutoCloseable {

    private final POSIX posix;
    private final Path path;
    private final boolean direct;
    private final StampedLock lock = new StampedLock();
    private int fd;

    private PosixFd(POSIX posix, Path path, int fd, boolean direct) {
        this.posix = posix;
        this.path = path;
        this.fd = fd;
        this.direct = direct;
    }

    /** Opens {@code path} read-write, with O_DIRECT if asked, creating a regular file if asked. */
    public static PosixFd open(Path path, boolean direct, boolean create) throws IOException {
        POSIX posix = NativePosix.get();
        int flags = OpenFlags.O_RDWR | OpenFlags.O_CLOEXEC | (create ? OpenFlags.O_CREAT : 0)
                | (direct ? OpenFlags.oDirect() : 0);
        int fd = posix.open(path.toString(), flags, 0644);
        if (fd < 0) {
            int errno = posix.errno();
            throw new IOException("cannot open " + path + (direct ? " with O_DIRECT" : "") + ": "
                    + posix.strerror(errno) + " (errno " + errno + ")");
        }
        return new PosixFd(posix, path, fd, direct);
    }

    /** Whether this descriptor was opened with O_DIRECT. */
    public boolean direct() {
        return direct;
    }

    /** The path opened. */
    public Path path() {
        return path;
    }

    /**
     * pread(2) into {@code dst} at its position, up to its remaining bytes; advances the position.
     * {@code dst} must be a direct buffer. Returns the count, or -1 at end of file.
     */
    public int pread(ByteBuffer dst, long offset) throws IOException {
        int n = pread(PositionalCalls.address(dst) + dst.position(), dst.remaining(), offset);
        if (n > 0) {
            dst.position(dst.position() + n);
        }
        return n;
    }

    /** pwrite(2) from {@code src}'s position; advances the position by the count written. */
    public int pwrite(ByteBuffer src, long offset) throws IOException {
        int n = pwrite(PositionalCalls.address(src) + src.position(), src.remaining(), offset);
        src.position(src.position() + n);
        return n;
    }

    /**
     * pread(2) of up to {@code count} bytes into native memory at {@code address} (a direct buffer the
     * caller keeps alive). Returns the count, or -1 at end of file.
     */
    public int pread(long address, int count, long offset) throws IOException {
        long stamp = lock.readLock();
        try {
            int fd = openFd();
            long n;
            int errno;
            do {
                n = PositionalCalls.pread(fd, address, count, offset);
                errno = n < 0 ? PositionalCalls.errno() : 0;
            } while (errno == EINTR);
            if (n < 0) {
                throw error("pread", offset, count, errno);
            }
            return n == 0 && count > 0 ? -1 : (int) n;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** pwrite(2) of up to {@code count} bytes from native memory at {@code address}; returns the count written. */
    public int pwrite(long address, int count, long offset) throws IOException {
        long stamp = lock.readLock();
        try {
            int fd = openFd();
            long n;
            int errno;
            do {
                n = PositionalCalls.pwrite(fd, address, count, offset);
                errno = n < 0 ? PositionalCalls.errno() : 0;
            } while (errno == EINTR);
            if (n < 0) {
                throw error("pwrite", offset, count, errno);
            }
            return (int) n;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** fdatasync(2). */
    public void fdatasync() throws IOException {
        long stamp = lock.readLock();
        try {
            if (posix.fdatasync(openFd()) != 0) {
                throw error("fdatasync", 0, 0);
            }
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** fsync(2). */
    public void fsync() throws IOException {
        long stamp = lock.readLock();
        try {
            if (posix.fsync(openFd()) != 0) {
                throw error("fsync", 0, 0);
            }
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** posix_fadvise(2); WILLNEED starts read-ahead, DONTNEED drops clean cached pages. */
    public void fadvise(long offset, long length, PosixFadvise advice) throws IOException {
        long stamp = lock.readLock();
        try {
            int rc = NativePosix.linux().posix_fadvise(openFd(), offset, length, advice);
            // posix_fadvise returns the error number instead of setting errno.
            if (rc != 0) {
                throw new IOException("posix_fadvise(" + advice + ") on " + path + " at " + offset + "+" + length
                        + " failed: " + posix.strerror(rc) + " (errno " + rc + ")");
            }
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** The size: of the file, or of the block device (lseek to the end). */
    public long size() throws IOException {
        long stamp = lock.readLock();
        try {
            long end = posix.lseekLong(openFd(), 0, 2);
            if (end < 0) {
                throw error("lseek", 0, 0);
            }
            return end;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** ftruncate(2) (regular files). */
    public void truncate(long size) throws IOException {
        long stamp = lock.readLock();
        try {
            if (posix.ftruncate(openFd(), size) != 0) {
                throw error("ftruncate", size, 0);
            }
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        long stamp = lock.readLock();
        try {
            return fd < 0;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public void close() throws IOException {
        long stamp = lock.writeLock();
        try {
            if (fd < 0) {
                return;
            }
            int rc = posix.close(fd);
            fd = -1;
            if (rc != 0) {
                throw error("close", 0, 0);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private static final int EINTR = 4;

    private int openFd() throws ClosedChannelException {
        if (fd < 0) {
            throw new ClosedChannelException();
        }
        return fd;
    }

    private IOException error(String call, long offset, long length) {
        return error(call, offset, length, posix.errno());
    }

    private IOException error(String call, long offset, long length, int errno) {
        return new IOException(call + " on " + path + (length > 0 ? " at offset " + offset + " length " + length : "")
                + (direct ? " (O_DIRECT)" : "") + " failed: " + posix.strerror(errno) + " (errno " + errno + ")");
    }
}
