package io.staleguard.junit.internal;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads that the built-in rewriters of every test borrow, so that a test does not pay for starting and
 * ending threads: on a loaded 2-core machine a {@code Thread.start} alone took 0.1 to 0.7 ms. A test's rewriter
 * gets an idle thread (a hand-off, no start) or a new one, runs on it under its own name
 * ({@code staleguard-rewriter-<test>-<index>}) and gives it back when its body returns; what the group waits for is
 * the end of the body, as it waited for the end of a thread. A thread idle for {@link #KEEP_ALIVE_SECONDS} ends.
 *
 * <p>Only the built-in patterns run here: they keep no state of their own in thread-locals (the device's per-thread
 * scratch buffers hold nothing a later body reads), and each body starts from its seed, so a borrowed thread changes
 * nothing they do. An interrupt reaches a body only while it runs; one left over when it returns is cleared before
 * the thread is lent again. A body that will not stop keeps its thread, and later bodies get other threads.
 */
final class RewriterThreadPool {

    /** How long an idle thread waits for the next rewriter before it ends. */
    static final long KEEP_ALIVE_SECONDS = 30;
    /**
     * The name of an idle thread. It does not start with {@code staleguard}: an idle thread runs no rewriter, and the
     * extension's threads named so are the ones that must end with their test.
     */
    static final String IDLE_NAME = "idle-rewriter-thread";

    private static final RewriterThreadPool SHARED = new RewriterThreadPool(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);

    private final ThreadPoolExecutor executor;

    RewriterThreadPool(long keepAlive, TimeUnit unit) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, IDLE_NAME + "-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(null);
            return t;
        };
        // A cached pool: a rewriter takes an idle thread if there is one, else a new thread is made for it.
        executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, keepAlive, unit, new SynchronousQueue<>(), factory);
    }

    /** The pool the extension's rewriters share, one per JVM. */
    static RewriterThreadPool shared() {
        return SHARED;
    }

    /** Runs {@code body} on a thread of the pool, named {@code name} while it runs. */
    RewriterWorker start(String name, Runnable body) {
        Lent lent = new Lent(name, body, Thread.currentThread().getContextClassLoader());
        executor.execute(lent);
        return lent;
    }

    /** Threads of the pool alive now, idle or running a body (for tests). */
    int threads() {
        return executor.getPoolSize();
    }

    /** One body on a borrowed thread. */
    private static final class Lent implements RewriterWorker, Runnable {

        private final String name;
        private final Runnable body;
        private final ClassLoader loader;
        private Thread thread;
        private boolean ended;
        private boolean interruptAsked;

        Lent(String name, Runnable body, ClassLoader loader) {
            this.name = name;
            this.body = body;
            this.loader = loader;
        }

        @Override
        public void run() {
            Thread t = Thread.currentThread();
            String idleName = t.getName();
            t.setName(name);
            t.setContextClassLoader(loader);
            synchronized (this) {
                thread = t;
                if (interruptAsked) {
                    t.interrupt();
                }
            }
            try {
                body.run();
            } finally {
                synchronized (this) {
                    // Under the lock that interrupt() takes: no interrupt meant for this body can come later.
                    Thread.interrupted();
                    t.setName(idleName);
                    t.setContextClassLoader(null);
                    thread = null;
                    ended = true;
                    notifyAll();
                }
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public synchronized boolean isRunning() {
            return !ended;
        }

        @Override
        public synchronized void interrupt() {
            if (ended) {
                return;
            }
            if (thread != null) {
                thread.interrupt();
            } else {
                interruptAsked = true;
            }
        }

        @Override
        public synchronized boolean awaitEnd(long deadlineNanos) throws InterruptedException {
            while (!ended) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }
}
