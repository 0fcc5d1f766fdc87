package io.staleguard.device.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Waits that let a race test put two threads in a chosen order without depending on the machine's load. */
public final class RaceWaits {

    private RaceWaits() {
    }

    /**
     * Waits until {@code done}, or until {@code other} is blocked on a lock the calling thread holds (then waiting
     * on would deadlock). It waits for a state, never for a time: a fixed wait (it was 200 ms) let the first
     * thread go on before the other had acted when a loaded machine did not run it in time, and the race was
     * missed. The deadline only ends a run whose other thread never got there.
     */
    public static void awaitDoneOrBlockedByMe(CountDownLatch done, AtomicReference<Thread> other) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().getId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (!done.await(1, TimeUnit.MILLISECONDS) && System.nanoTime() - deadline < 0) {
                Thread t = other.get();
                ThreadInfo info = t == null ? null : threads.getThreadInfo(t.getId());
                if (info != null && info.getLockOwnerId() == me) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
