package io.staleguard.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The threads the built-in rewriters borrow: a body runs under its own name and its submitter's context class loader,
 * its thread is lent again once it ends, and nothing of one body (its name, an interrupt) reaches the next.
 */
class RewriterThreadPoolTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aBodyRunsUnderItsNameAndItsThreadIsLentAgainWhenItEnds() throws Exception {
        RewriterThreadPool pool = new RewriterThreadPool(30, TimeUnit.SECONDS);
        AtomicReference<Thread> first = new AtomicReference<>();
        AtomicReference<String> name = new AtomicReference<>();
        AtomicReference<ClassLoader> loader = new AtomicReference<>();
        ClassLoader mine = new ClassLoader(getClass().getClassLoader()) { };
        ClassLoader saved = Thread.currentThread().getContextClassLoader();
        RewriterWorker w;
        Thread.currentThread().setContextClassLoader(mine);
        try {
            w = pool.start("staleguard-rewriter-T#m-0", () -> {
                first.set(Thread.currentThread());
                name.set(Thread.currentThread().getName());
                loader.set(Thread.currentThread().getContextClassLoader());
            });
        } finally {
            Thread.currentThread().setContextClassLoader(saved);
        }
        assertThat(w.awaitEnd(System.nanoTime() + 10 * SECOND)).isTrue();
        assertThat(w.isRunning()).isFalse();
        assertThat(w.name()).isEqualTo("staleguard-rewriter-T#m-0");
        assertThat(name.get()).isEqualTo("staleguard-rewriter-T#m-0");
        assertThat(loader.get()).as("the submitter's context class loader").isSameAs(mine);
        Thread t = first.get();
        awaitIdle(t);
        assertThat(t.getName()).startsWith(RewriterThreadPool.IDLE_NAME).doesNotStartWith("staleguard");
        assertThat(t.getContextClassLoader()).as("an idle thread holds no test's class loader").isNull();

        AtomicReference<Thread> second = new AtomicReference<>();
        RewriterWorker w2 = pool.start("staleguard-rewriter-T#n-0", () -> second.set(Thread.currentThread()));
        assertThat(w2.awaitEnd(System.nanoTime() + 10 * SECOND)).isTrue();
        assertThat(second.get()).as("the idle thread, not a new one").isSameAs(t);
        assertThat(pool.threads()).isOne();
    }

    @Test
    void anInterruptMeantForOneBodyNeverReachesTheNext() throws Exception {
        RewriterThreadPool pool = new RewriterThreadPool(30, TimeUnit.SECONDS);
        AtomicReference<Thread> thread = new AtomicReference<>();
        RewriterWorker w = pool.start("staleguard-rewriter-T#m-0", () -> {
            thread.set(Thread.currentThread());
            // A body that ends with its interrupt status set (it was interrupted and did not clear it).
            Thread.currentThread().interrupt();
        });
        assertThat(w.awaitEnd(System.nanoTime() + 10 * SECOND)).isTrue();
        w.interrupt();
        awaitIdle(thread.get());
        w.interrupt();

        AtomicBoolean interrupted = new AtomicBoolean(true);
        AtomicReference<Thread> next = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch lateInterruptSent = new CountDownLatch(1);
        RewriterWorker w2 = pool.start("staleguard-rewriter-T#n-0", () -> {
            next.set(Thread.currentThread());
            started.countDown();
            try {
                lateInterruptSent.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            interrupted.set(Thread.currentThread().isInterrupted());
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        // The first body's group interrupts it late (its stop found it running a moment ago): the thread runs the
        // next body by now, which must not see it.
        w.interrupt();
        lateInterruptSent.countDown();
        assertThat(w2.awaitEnd(System.nanoTime() + 10 * SECOND)).isTrue();
        assertThat(next.get()).isSameAs(thread.get());
        assertThat(interrupted.get()).as("the next body runs without the interrupt").isFalse();
    }

    @Test
    void anInterruptReachesARunningBody() throws Exception {
        RewriterThreadPool pool = new RewriterThreadPool(30, TimeUnit.SECONDS);
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean sawInterrupt = new AtomicBoolean();
        RewriterWorker w = pool.start("staleguard-rewriter-T#m-0", () -> {
            running.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                sawInterrupt.set(true);
            }
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(w.awaitEnd(System.nanoTime() + SECOND / 20)).as("still sleeping").isFalse();
        assertThat(w.isRunning()).isTrue();
        w.interrupt();
        assertThat(w.awaitEnd(System.nanoTime() + 10 * SECOND)).isTrue();
        assertThat(sawInterrupt.get()).isTrue();
    }

    @Test
    void aBodyThatWillNotEndKeepsItsThreadAndTheNextGetsAnother() throws Exception {
        RewriterThreadPool pool = new RewriterThreadPool(30, TimeUnit.SECONDS);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> stuck = new AtomicReference<>();
        RewriterWorker w = pool.start("staleguard-rewriter-T#stuck-0", () -> {
            stuck.set(Thread.currentThread());
            boolean done = false;
            while (!done) {
                try {
                    done = release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    // Ignored: the bug of a rewriter that will not stop.
                }
            }
        });
        try {
            AtomicReference<Thread> other = new AtomicReference<>();
            RewriterWorker w2 = pool.start("staleguard-rewriter-T#n-0", () -> other.set(Thread.currentThread()));
            assertThat(w2.awaitEnd(System.nanoTime() + 10 * SECOND)).isTrue();
            w.interrupt();
            assertThat(w.awaitEnd(System.nanoTime() + SECOND / 20)).isFalse();
            assertThat(w.isRunning()).isTrue();
            assertThat(other.get()).isNotNull().isNotSameAs(stuck.get());
            assertThat(stuck.get().getName()).as("named for its test while it runs")
                    .isEqualTo("staleguard-rewriter-T#stuck-0");
        } finally {
            release.countDown();
        }
        assertThat(w.awaitEnd(System.nanoTime() + 10 * SECOND)).isTrue();
    }

    @Test
    void anIdleThreadEndsAfterTheKeepAlive() throws Exception {
        RewriterThreadPool pool = new RewriterThreadPool(50, TimeUnit.MILLISECONDS);
        AtomicReference<Thread> thread = new AtomicReference<>();
        RewriterWorker w = pool.start("staleguard-rewriter-T#m-0", () -> thread.set(Thread.currentThread()));
        assertThat(w.awaitEnd(System.nanoTime() + 10 * SECOND)).isTrue();
        thread.get().join(10_000);
        assertThat(thread.get().isAlive()).isFalse();
        assertThat(pool.threads()).isZero();
    }

    /** Waits until {@code t} has given its body back and waits for the next one. */
    private static void awaitIdle(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + 10 * SECOND;
        while (!(t.getName().startsWith(RewriterThreadPool.IDLE_NAME) && t.getState() == Thread.State.TIMED_WAITING)) {
            assertThat(System.nanoTime()).as("thread %s idle in time", t.getName()).isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
