package io.staleguard.device.file.internal;

import io.staleguard.device.IoMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import jnr.constants.platform.PosixFadvise;

/**
 * The media of a real backend: one file or block device opened twice, once with O_DIRECT and
 * once through the page cache, so each call can take the path its {@link IoMode} names.
 *
 * <p>Moves whole blocks between Java arrays and the kernel through per-thread aligned direct
 * buffers (O_DIRECT needs aligned memory; jnr copies heap arrays to unaligned memory). Short
 * kernel transfers are continued here: the front end above asks for whole blocks and gets them.
 */
public final class PosixMedia implements AutoCloseable {

    private static final int SCRATCH_MAX = 1 << 20;

    private final Path path;
    private final int blockSize;
    private final PosixFd buffered;
    private final PosixFd direct;
    private final String directUnsupported;
    private final ThreadLocal<Scratch> scratch;

    private PosixMedia(Path path, int blockSize, PosixFd buffered, PosixFd direct, String directUnsupported) {
        this.path = path;
        this.blockSize = blockSize;
        this.buffered = buffered;
        this.direct = direct;
        this.directUnsupported = directUnsupported;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(Math.max(64 << 10, blockSize)));
    }

    /**
     * Opens {@code path} (a regular file or a block device). When the filesystem refuses O_DIRECT
     * (EINVAL, e.g. old tmpfs) and {@code requireDirect} is false, direct calls fail with a clear
     * message instead of the whole open failing.
     */
    public static PosixMedia open(Path path, int blockSize, boolean create, boolean requireDirect) throws IOException {
        PosixFd buffered = PosixFd.open(path, false, create);
        PosixFd direct = null;
        String unsupported = null;
        try {
            direct = PosixFd.open(path, true, false);
        } catch (IOException e) {
            if (requireDirect) {
                buffered.close();
                throw e;
            }
            unsupported = e.getMessage();
        } catch (RuntimeException e) {
            buffered.close();
            throw e;
        }
        return new PosixMedia(path, blockSize, buffered, direct, unsupported);
    }

    /** The path. */
    public Path path() {
        return path;
    }

    /** Whether O_DIRECT calls are possible. */
    public boolean directSupported() {
        return direct != null;
    }

    /** The size of the file or device in bytes. */
    public long size() throws IOException {
        return buffered.size();
    }

    /** Extends or truncates a regular file. */
    public void truncate(long size) throws IOException {
        buffered.truncate(size);
    }

    /**
     * Reads {@code len} bytes at {@code offset} into {@code dst[off...]} through the path of
     * {@code mode}; bytes past the end of the file read as zeros.
     */
    public void read(long offset, byte[] dst, int off, int len, IoMode mode) throws IOException {
        PosixFd fd = fd(mode);
        Scratch buf = scratch(len);
        int done = 0;
        while (done < len) {
            int chunk = Math.min(len - done, buf.capacity());
            int got = 0;
            while (got < chunk) {
                int n = fd.pread(buf.address + got, chunk - got, offset + done + got);
                if (n < 0) {
                    break;
                }
                got += n;
                if (fd.direct() && got < chunk) {
                    // An O_DIRECT read comes back short only at the end of the file; the next
                    // offset would be unaligned.
                    break;
                }
            }
            buf.buffer.get(0, dst, off + done, got);
            if (got < chunk) {
                java.util.Arrays.fill(dst, off + done + got, off + len, (byte) 0);
                return;
            }
            done += chunk;
        }
    }

    /** Writes {@code len} bytes from {@code src[off...]} at {@code offset} through the path of {@code mode}. */
    public void write(long offset, byte[] src, int off, int len, IoMode mode) throws IOException {
        PosixFd fd = fd(mode);
        Scratch buf = scratch(len);
        int done = 0;
        while (done < len) {
            int chunk = Math.min(len - done, buf.capacity());
            buf.buffer.put(0, src, off + done, chunk);
            int put = 0;
            while (put < chunk) {
                int n = fd.pwrite(buf.address + put, chunk - put, offset + done + put);
                if (n == 0) {
                    throw new IOException("pwrite on " + path + " at offset " + (offset + done + put)
                            + " wrote nothing (device full?)");
                }
                put += n;
            }
            done += chunk;
        }
    }

    /** fdatasync on the buffered descriptor (flushes what either path wrote to this file). */
    public void fdatasync() throws IOException {
        buffered.fdatasync();
    }

    /** fsync. */
    public void fsync() throws IOException {
        buffered.fsync();
    }

    /** posix_fadvise on the buffered descriptor. */
    public void fadvise(long offset, long length, PosixFadvise advice) throws IOException {
        buffered.fadvise(offset, length, advice);
    }

    /** posix_fadvise with the public advice names. */
    public void fadvise(long offset, long length, io.staleguard.device.file.Advice advice) throws IOException {
        fadvise(offset, length, PosixFadvise.valueOf("POSIX_FADV_" + advice.name()));
    }

    private PosixFd fd(IoMode mode) throws IOException {
        if (mode == IoMode.BUFFERED) {
            return buffered;
        }
        if (direct == null) {
            throw new IOException("O_DIRECT is not supported for " + path + ": " + directUnsupported);
        }
        return direct;
    }

    private Scratch scratch(int len) {
        Scratch b = scratch.get();
        if (b.capacity() >= len || b.capacity() >= SCRATCH_MAX) {
            return b;
        }
        b = new Scratch(Math.min(SCRATCH_MAX, Integer.highestOneBit(len - 1) << 1));
        scratch.set(b);
        return b;
    }

    /**
     * A thread's aligned transfer buffer and its native address, looked up once: the calls pass the
     * address ({@link PosixFd#pread(long, int, long)}), so no call asks the JVM for it through JNI.
     * The buffer field keeps the memory alive as long as the address is used.
     */
    private static final class Scratch {
        final ByteBuffer buffer;
        final long address;

        Scratch(int size) {
            this.buffer = AlignedBuffers.allocate(size, 4096);
            this.address = PositionalCalls.address(buffer);
        }

        int capacity() {
            return buffer.capacity();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            buffered.close();
        } finally {
            if (direct != null) {
                direct.close();
            }
        }
    }
}
