package io.staleguard.junit.internal.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * An {@link AsynchronousFileChannel} on a real file, verified like {@link VerifyingFileChannel}. Protection is
 * computed when a write is called, from the buffer as it is then; the write itself starts after a seeded delay on
 * the filesystem's I/O threads, and not before the caller waits for it (or forces or closes the channel), and
 * takes the buffer as it is then: a buffer reused before its write was awaited is caught every time, on every
 * backend, not only when the caller happened to beat the delay.
 */
final class VerifyingAsyncFileChannel extends AsynchronousFileChannel {

    private final FileChannel real;
    private final FileState state;
    private final AsyncExecutor executor;
    private final boolean readable;
    private final boolean writable;
    private volatile boolean open = true;
    /** Operations submitted through futures that have not started: a force or close releases them. */
    private final java.util.Set<HeldOperation<?>> held = java.util.concurrent.ConcurrentHashMap.newKeySet();

    VerifyingAsyncFileChannel(FileChannel real, FileState state, AsyncExecutor executor, boolean readable,
                              boolean writable) {
        this.real = real;
        this.state = state;
        this.executor = executor;
        this.readable = readable;
        this.writable = writable;
    }

    @Override
    public Future<Integer> read(ByteBuffer dst, long position) {
        return submitRead(dst, position, true);
    }

    @Override
    public <A> void read(ByteBuffer dst, long position, A attachment,
                         CompletionHandler<Integer, ? super A> handler) {
        notify(submitRead(dst, position, false), attachment, handler);
    }

    @Override
    public Future<Integer> write(ByteBuffer src, long position) {
        return submitWrite(src, position, true);
    }

    @Override
    public <A> void write(ByteBuffer src, long position, A attachment,
                          CompletionHandler<Integer, ? super A> handler) {
        notify(submitWrite(src, position, false), attachment, handler);
    }

    /**
     * Submits {@code op}: through a future it is held until awaited; with a completion handler nobody waits on a
     * future, so it starts once its delay has passed.
     */
    private CompletableFuture<Integer> submit(java.util.concurrent.Callable<Integer> op, boolean future) {
        if (!future) {
            return executor.submitDelayed(op);
        }
        HeldOperation<Integer> f = executor.submitHeld(op);
        held.add(f);
        f.whenComplete((n, e) -> held.remove(f));
        return f;
    }

    /** A force or close waits for nothing, but nothing submitted before it stays held any longer. */
    private void releaseHeld() {
        for (HeldOperation<?> f : held) {
            f.release();
        }
    }

    private CompletableFuture<Integer> submitRead(ByteBuffer dst, long position, boolean future) {
        if (position < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        if (!readable) {
            throw new NonReadableChannelException();
        }
        if (!open) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        String thread = Thread.currentThread().getName();
        return submit(() -> {
            ensureOpen();
            return state.read(real, dst, position, thread);
        }, future);
    }

    private CompletableFuture<Integer> submitWrite(ByteBuffer src, long position, boolean future) {
        if (position < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        if (!writable) {
            throw new NonWritableChannelException();
        }
        if (!open) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        // Like a DMA descriptor, the write is bound to the buffer's range as of now; its bytes are taken later.
        int from = src.position();
        int to = src.limit();
        FileState.Submission s = state.submit(src, from, to, position, Thread.currentThread().getName());
        return submit(() -> {
            ensureOpen();
            int n = state.perform(s, real, src, from, to);
            src.position(from + n);
            return n;
        }, future);
    }

    private void ensureOpen() throws IOException {
        if (!open) {
            throw new java.nio.channels.AsynchronousCloseException();
        }
    }

    private static <A> void notify(CompletableFuture<Integer> f, A attachment,
                                   CompletionHandler<Integer, ? super A> handler) {
        f.whenComplete((n, e) -> {
            if (e == null) {
                handler.completed(n, attachment);
            } else {
                handler.failed(e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e, attachment);
            }
        });
    }

    @Override
    public long size() throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        return real.size();
    }

    @Override
    public AsynchronousFileChannel truncate(long size) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        if (!writable) {
            throw new NonWritableChannelException();
        }
        if (size < real.size()) {
            real.truncate(size);
            state.reset(size == 0);
        }
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        releaseHeld();
        real.force(metaData);
    }

    @Override
    public <A> void lock(long position, long size, boolean shared, A attachment,
                         CompletionHandler<FileLock, ? super A> handler) {
        checkLockMode(shared);
        executor.submitDelayed(() -> (FileLock) new RealLock(this, real.lock(position, size, shared))).whenComplete((l, e) -> {
            if (e == null) {
                handler.completed(l, attachment);
            } else {
                handler.failed(e.getCause() != null ? e.getCause() : e, attachment);
            }
        });
    }

    @Override
    public Future<FileLock> lock(long position, long size, boolean shared) {
        CompletableFuture<FileLock> f = new CompletableFuture<>();
        lock(position, size, shared, null, new CompletionHandler<FileLock, Object>() {
            @Override
            public void completed(FileLock result, Object attachment) {
                f.complete(result);
            }

            @Override
            public void failed(Throwable exc, Object attachment) {
                f.completeExceptionally(exc);
            }
        });
        return f;
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        checkLockMode(shared);
        FileLock l = real.tryLock(position, size, shared);
        return l == null ? null : new RealLock(this, l);
    }

    /** The host channel is opened for reading too (to read back writes), so the mode is checked here. */
    private void checkLockMode(boolean shared) {
        if (shared && !readable) {
            throw new NonReadableChannelException();
        }
        if (!shared && !writable) {
            throw new NonWritableChannelException();
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        releaseHeld();
        open = false;
        real.close();
    }
}
