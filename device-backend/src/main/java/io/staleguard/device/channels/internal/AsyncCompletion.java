package io.staleguard.device.channels.internal;

import java.io.IOException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileLock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;

/**
 * The two faces of an {@code AsynchronousFileChannel} call, the future and the completion handler, built from one:
 * transfers are futures handed to a handler, and locks (granted or refused at once, in process) are a
 * {@code tryLock} handed to either.
 */
public final class AsyncCompletion {

    private AsyncCompletion() {
    }

    /** A {@code tryLock} of the channel. */
    @FunctionalInterface
    public interface LockAttempt {
        /** Takes the lock or throws at once. */
        FileLock tryLock(long position, long size, boolean shared) throws IOException;
    }

    /**
     * Hands a transfer's outcome to the handler on the thread that completes it; the handler sees the cause of a
     * failure, not the CompletionException wrapping it.
     */
    public static <A> void deliver(Future<Integer> f, A attachment, CompletionHandler<Integer, ? super A> handler) {
        ((CompletableFuture<Integer>) f).whenComplete((n, e) -> {
            if (e == null) {
                handler.completed(n, attachment);
            } else {
                handler.failed(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e, attachment);
            }
        });
    }

    /** The handler form of {@code lock}: whatever {@code tryLock} throws goes to {@code failed}. */
    public static <A> void lock(LockAttempt attempt, long position, long size, boolean shared, A attachment,
                                CompletionHandler<FileLock, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        FileLock l;
        try {
            l = attempt.tryLock(position, size, shared);
        } catch (Throwable e) {
            handler.failed(e, attachment);
            return;
        }
        handler.completed(l, attachment);
    }

    /** The future form of {@code lock}: already done, or already failed with what {@code tryLock} threw. */
    public static Future<FileLock> lock(LockAttempt attempt, long position, long size, boolean shared) {
        try {
            return CompletableFuture.completedFuture(attempt.tryLock(position, size, shared));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
