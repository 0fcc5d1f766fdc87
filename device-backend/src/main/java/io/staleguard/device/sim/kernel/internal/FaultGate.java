package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.sim.kernel.DaxFaultGate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** The {@link DaxFaultGate} of {@link ThreadedDax}: holds the first read fault on one page. */
final class FaultGate implements DaxFaultGate {

    private final long page;
    private final long pageOffset;
    private final Consumer<FaultGate> onDone;
    private final CompletableFuture<String> paused = new CompletableFuture<>();
    private final CompletableFuture<Void> released = new CompletableFuture<>();

    FaultGate(long page, long pageOffset, Consumer<FaultGate> onDone) {
        this.page = page;
        this.pageOffset = pageOffset;
        this.onDone = onDone;
    }

    @Override
    public long pageOffset() {
        return pageOffset;
    }

    /** Holds the calling fault until release if this gate takes it; returns whether it did. */
    boolean hold(long faultPage, String faultThread) {
        if (faultPage != page || released.isDone() || !paused.complete(faultThread)) {
            return false;
        }
        // join() is not interruptible: a held fault stays in its window until release, as a test expects.
        released.join();
        return true;
    }

    @Override
    public String awaitPaused(Duration timeout) throws InterruptedException {
        try {
            return paused.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no DAX read fault on the page at offset " + pageOffset
                    + " reached its block lookup within " + timeout, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public boolean isPaused() {
        return paused.isDone();
    }

    @Override
    public void release() {
        if (released.complete(null)) {
            onDone.accept(this);
        }
    }

    @Override
    public String toString() {
        return "DaxFaultGate[page at " + pageOffset + (isPaused() ? ", holding a fault" : "") + "]";
    }
}
