package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.sim.kernel.DaxFaultGate;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The {@link DaxFaultGate} of {@link ThreadedDax}: holds the first read fault on one page. */
final class FaultGate implements DaxFaultGate {

    private final long page;
    private final long pageOffset;
    private final Consumer<FaultGate> onDone;
    private final CountDownLatch paused = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private String thread;
    private boolean armed = true;

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
        synchronized (this) {
            if (!armed || thread != null || faultPage != page) {
                return false;
            }
            thread = faultThread;
        }
        paused.countDown();
        boolean interrupted = false;
        while (true) {
            try {
                released.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    @Override
    public String awaitPaused(Duration timeout) throws InterruptedException {
        if (!paused.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("no DAX read fault on the page at offset " + pageOffset
                    + " reached its block lookup within " + timeout);
        }
        synchronized (this) {
            return thread;
        }
    }

    @Override
    public boolean isPaused() {
        return paused.getCount() == 0;
    }

    @Override
    public void release() {
        synchronized (this) {
            if (!armed) {
                return;
            }
            armed = false;
        }
        released.countDown();
        onDone.accept(this);
    }

    @Override
    public String toString() {
        return "DaxFaultGate[page at " + pageOffset + (isPaused() ? ", holding a fault" : "") + "]";
    }
}
