package io.staleguard.junit.internal.fs;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The future of an asynchronous operation that starts only once its seeded delay has passed <em>and</em> its
 * caller has shown that it waits for it ({@link #get}, {@link #join}, {@link #isDone}, ...), or a force or close
 * of its channel, or a bounded hold ran out. A buffer the caller reuses before it waits is therefore caught
 * however fast or slow the caller and the host are, not only when the caller beat the delay.
 */
final class HeldOperation<T> extends CompletableFuture<T> {

    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean delayElapsed;
    private volatile boolean released;
    private volatile Runnable start;
    private volatile java.util.concurrent.Future<?> holdTimer;

    /** Sets what starting the operation runs; called once, before the delay can elapse. */
    void onStart(Runnable r) {
        this.start = r;
    }

    /** The timer that ends the hold; cancelled once the operation starts. */
    void holdTimer(java.util.concurrent.Future<?> timer) {
        this.holdTimer = timer;
        if (started.get()) {
            timer.cancel(false);
        }
    }

    /** The seeded delay has passed: the operation starts now if its caller already waits for it. */
    void delayElapsed() {
        delayElapsed = true;
        if (released) {
            startOnce();
        }
    }

    /** The caller waits for the operation (or the hold ran out): it starts as soon as the delay has passed. */
    void release() {
        released = true;
        if (delayElapsed) {
            startOnce();
        }
    }

    private void startOnce() {
        if (started.compareAndSet(false, true)) {
            java.util.concurrent.Future<?> t = holdTimer;
            if (t != null) {
                t.cancel(false);
            }
            start.run();
        }
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        release();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        release();
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        release();
        return super.join();
    }

    @Override
    public T getNow(T valueIfAbsent) {
        release();
        return super.getNow(valueIfAbsent);
    }

    @Override
    public boolean isDone() {
        release();
        return super.isDone();
    }
}
