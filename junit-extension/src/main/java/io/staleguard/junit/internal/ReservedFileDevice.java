package io.staleguard.junit.internal;

import com.sun.nio.file.ExtendedOpenOption;
import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.ViolationLog;
import io.staleguard.device.integrity.ProtectionFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The file that {@code @Rewriters} stress on a simulated filesystem, seen as a block device: offset 0 is the
 * file's first byte, so the built-in rewriters run unchanged and every byte they move is file I/O, judged by the
 * device under the filesystem. It lives outside the test's directory, so the test's listings do not show it.
 *
 * <p>Each rewriter thread gets channels of its own: a channel is one caller of the device, and the short-transfer
 * tracker must not take one thread's continued read for another's abandoned one.
 */
final class ReservedFileDevice implements BlockDevice {

    /** The reserved file's path on the simulated filesystem. */
    static final String NAME = "/.staleguard-rewriters";

    private final Path file;
    private final long length;
    private final BlockDevice under;
    private final ThreadLocal<Channels> channels = ThreadLocal.withInitial(this::openChannels);
    private final List<Channels> opened = new ArrayList<>();
    private volatile boolean closed;

    private ReservedFileDevice(Path file, long length, BlockDevice under) {
        this.file = file;
        this.length = length;
        this.under = under;
    }

    /**
     * Makes the reserved file of {@code length} bytes (a block multiple) on {@code root}'s filesystem.
     *
     * @param under the device under the filesystem, whose log judges the file's I/O
     */
    static ReservedFileDevice create(Path root, long length, BlockDevice under) throws IOException {
        Path file = root.getFileSystem().getPath(NAME);
        int bs = under.logicalBlockSize();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            // One zero block at the end gives the file its size; the blocks before it stay holes until written.
            ByteBuffer last = ByteBuffer.allocate(bs);
            long at = length - bs;
            while (last.hasRemaining()) {
                at += ch.write(last, at);
            }
        }
        return new ReservedFileDevice(file, length, under);
    }

    /** The four channels of one rewriter thread: buffered and direct, synchronous and asynchronous. */
    private record Channels(FileChannel buffered, FileChannel direct, AsynchronousFileChannel asyncBuffered,
                            AsynchronousFileChannel asyncDirect) {

        FileChannel sync(IoMode mode) {
            return mode == IoMode.DIRECT ? direct : buffered;
        }

        AsynchronousFileChannel async(IoMode mode) {
            return mode == IoMode.DIRECT ? asyncDirect : asyncBuffered;
        }

        void close() {
            for (AutoCloseable c : new AutoCloseable[] {buffered, direct, asyncBuffered, asyncDirect}) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // The filesystem closes what is left when the test ends.
                }
            }
        }
    }

    private Channels openChannels() {
        try {
            Channels c = new Channels(
                    FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE),
                    FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT),
                    AsynchronousFileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE),
                    AsynchronousFileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                            ExtendedOpenOption.DIRECT));
            synchronized (opened) {
                if (closed) {
                    c.close();
                    throw new IllegalStateException("the rewriters' file is closed");
                }
                opened.add(c);
            }
            return c;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Channels mine() throws IOException {
        try {
            return channels.get();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public int logicalBlockSize() {
        return under.logicalBlockSize();
    }

    @Override
    public long capacity() {
        return length;
    }

    @Override
    public ProtectionFormat protection() {
        return under.protection();
    }

    @Override
    public int read(ByteBuffer dst, long offset, IoMode mode, IoCaller caller) throws IOException {
        return mine().sync(mode).read(dst, offset);
    }

    @Override
    public int write(ByteBuffer src, long offset, IoMode mode, IoCaller caller) throws IOException {
        return mine().sync(mode).write(src, offset);
    }

    @Override
    public long read(ByteBuffer[] dsts, long offset, IoMode mode, IoCaller caller) throws IOException {
        FileChannel ch = mine().sync(mode);
        synchronized (ch) {
            ch.position(offset);
            return ch.read(dsts);
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, long offset, IoMode mode, IoCaller caller) throws IOException {
        FileChannel ch = mine().sync(mode);
        synchronized (ch) {
            ch.position(offset);
            return ch.write(srcs);
        }
    }

    @Override
    public CompletableFuture<Integer> readAsync(ByteBuffer dst, long offset, IoMode mode, IoCaller caller) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        try {
            mine().async(mode).read(dst, offset, f, Completion.INSTANCE);
        } catch (IOException | RuntimeException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    @Override
    public CompletableFuture<Integer> writeAsync(ByteBuffer src, long offset, IoMode mode, IoCaller caller) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        try {
            mine().async(mode).write(src, offset, f, Completion.INSTANCE);
        } catch (IOException | RuntimeException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    /** Completes the future of an asynchronous file call. */
    private static final class Completion implements CompletionHandler<Integer, CompletableFuture<Integer>> {
        static final Completion INSTANCE = new Completion();

        @Override
        public void completed(Integer result, CompletableFuture<Integer> f) {
            f.complete(result);
        }

        @Override
        public void failed(Throwable exc, CompletableFuture<Integer> f) {
            f.completeExceptionally(exc);
        }
    }

    @Override
    public void flush() throws IOException {
        mine().buffered().force(false);
    }

    /** The log of the device under the filesystem: file I/O is judged there. */
    @Override
    public ViolationLog violations() {
        return under.violations();
    }

    /** The log of the device under the filesystem; the extension finishes that device at the end of the test. */
    @Override
    public ViolationLog finish() {
        return under.violations();
    }

    @Override
    public String describe() {
        return "the rewriters' file " + NAME + " (" + length + " bytes) on " + under.describe();
    }

    /** Closes every thread's channels. */
    @Override
    public void close() {
        synchronized (opened) {
            closed = true;
            opened.forEach(Channels::close);
            opened.clear();
        }
    }
}
