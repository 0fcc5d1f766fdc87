package io.staleguard.device.hooks;

import static org.apiguardian.api.API.Status.STABLE;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * Holds the first operation that matches its {@link OpMatcher} until {@link #release()} is called,
 * so that a test can force an interleaving deterministically.
 *
 * <p>A gate is one-shot: it captures one operation; later matching operations pass. Releasing a
 * gate before any operation arrived disarms it. Closing the device releases every gate.
 * <pre>{@code
 * Gate g = device.hooks().pause(OpMatcher.writes().overlapping(0, 4096).atStage(Stage.DMA));
 * CompletableFuture<Integer> f = device.writeAsync(buf, 0, IoMode.DIRECT);
 * g.awaitPaused(Duration.ofSeconds(5));   // the write now waits before taking its data
 * buf.put(0, (byte) 42);                  // the bug under test: reuse before completion
 * g.release();
 * }</pre>
 */
@API(status = STABLE, since = "0.1")
public final class Gate {

    private final OpMatcher matcher;
    private final Consumer<Gate> onDone;
    private final CountDownLatch paused = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private OperationInfo operation;
    private Runnable continuation;
    private boolean armed = true;

    Gate(OpMatcher matcher, Consumer<Gate> onDone) {
        this.matcher = matcher;
        this.onDone = onDone;
    }

    /** The selection this gate was created with. */
    public OpMatcher matcher() {
        return matcher;
    }

    /**
     * Waits until an operation is held at this gate and returns it.
     *
     * @throws IllegalStateException if none arrived within {@code timeout} (the message names the matcher)
     */
    public OperationInfo awaitPaused(Duration timeout) throws InterruptedException {
        if (!paused.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("no operation matching " + matcher + " arrived within " + timeout);
        }
        synchronized (this) {
            return operation;
        }
    }

    /** Whether an operation is held (or was held) at this gate. */
    public boolean isPaused() {
        return paused.getCount() == 0;
    }

    /** The operation held, or null if none arrived yet. */
    public synchronized OperationInfo paused() {
        return operation;
    }

    /** Lets the held operation continue; disarms the gate if none arrived yet. Idempotent. */
    public void release() {
        Runnable resume;
        synchronized (this) {
            if (!armed && released.getCount() == 0) {
                return;
            }
            armed = false;
            resume = continuation;
            continuation = null;
            released.countDown();
        }
        onDone.accept(this);
        if (resume != null) {
            resume.run();
        }
    }

    /**
     * Offers an arriving asynchronous operation. Returns true if this gate took it; the
     * continuation then runs when the gate is released.
     */
    synchronized boolean park(OperationInfo op, Stage at, Runnable resume) {
        if (!armed || operation != null || !matcher.matches(op, at)) {
            return false;
        }
        operation = op;
        continuation = resume;
        paused.countDown();
        return true;
    }

    /** Offers an arriving synchronous operation; returns true if taken (the caller must then wait). */
    synchronized boolean hold(OperationInfo op, Stage at) {
        if (!armed || operation != null || !matcher.matches(op, at)) {
            return false;
        }
        operation = op;
        paused.countDown();
        return true;
    }

    void awaitRelease() {
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
    }

    @Override
    public String toString() {
        return "Gate[" + matcher + (operation == null ? "" : ", holding " + operation) + "]";
    }
}
