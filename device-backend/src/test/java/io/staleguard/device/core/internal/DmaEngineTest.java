package io.staleguard.device.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.CompletionOrder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Devices share the JVM-wide DMA threads; each keeps its own concurrency limit, order and shutdown.
 */
class DmaEngineTest {

    private static final long WAIT_S = 10;

    /** A job that waits for {@code gate}, then records that it ran uninterrupted. */
    private static DmaEngine.Job gated(CountDownLatch gate, CountDownLatch started, List<String> log, String name) {
        return new DmaEngine.Job() {
            @Override
            public long delayNanos() {
                return 0;
            }

            @Override
            public void run(Runnable done) {
                started.countDown();
                try {
                    gate.await();
                    log.add(name);
                } catch (InterruptedException e) {
                    log.add(name + " interrupted");
                } finally {
                    done.run();
                }
            }
        };
    }

    private static DmaEngine.Job delayed(long delayNanos, List<String> log, String name) {
        return new DmaEngine.Job() {
            @Override
            public long delayNanos() {
                return delayNanos;
            }

            @Override
            public void run(Runnable done) {
                log.add(name);
                done.run();
            }
        };
    }

    /** Two devices' engines with the same limit and order, a gate their gated jobs wait for, and one log. */
    private static final class TwoDevices {
        final DmaEngine a;
        final DmaEngine b;
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch started;
        final List<String> log = new CopyOnWriteArrayList<>();

        TwoDevices(int limit, CompletionOrder order, int gatedJobs) {
            a = new DmaEngine(limit, order);
            b = new DmaEngine(limit, order);
            started = new CountDownLatch(gatedJobs);
        }

        DmaEngine.Job gated(String name) {
            return DmaEngineTest.gated(gate, started, log, name);
        }

        void awaitStarted() throws InterruptedException {
            assertThat(started.await(WAIT_S, TimeUnit.SECONDS)).as("gated jobs started").isTrue();
        }
    }

    private static void awaitIdle(DmaEngine e) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (e.inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(e.inFlight()).as("jobs still in flight").isZero();
    }

    @Test
    void shuttingDownOneDeviceLeavesAnotherDevicesJobsRunning() throws Exception {
        TwoDevices t = new TwoDevices(2, CompletionOrder.REORDERED, 2);
        t.a.submit(t.gated("a1"));
        t.a.submit(t.gated("a2"));
        t.b.submit(delayed(0, t.log, "b1"));
        t.awaitStarted();
        awaitIdle(t.b);

        t.b.shutdown(1_000);
        assertThat(t.a.inFlight()).isEqualTo(2);
        t.gate.countDown();
        awaitIdle(t.a);

        assertThat(t.log).containsExactlyInAnyOrder("b1", "a1", "a2");
        assertThatThrownBy(() -> t.b.submit(delayed(0, t.log, "b2"))).isInstanceOf(RejectedExecutionException.class);
        t.a.submit(delayed(0, t.log, "a3"));
        awaitIdle(t.a);
        assertThat(t.log).contains("a3").doesNotContain("b2");
    }

    @Test
    void shutdownWaitsForItsOwnJobsOnly() throws Exception {
        TwoDevices t = new TwoDevices(1, CompletionOrder.FIFO, 1);
        t.a.submit(t.gated("a1"));
        t.awaitStarted();
        t.b.submit(delayed(TimeUnit.MILLISECONDS.toNanos(5), t.log, "b1"));

        long t0 = System.nanoTime();
        t.b.shutdown(10_000);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("b's shutdown waited for a's job")
                .isLessThan(5_000);
        assertThat(t.log).containsExactly("b1");
        t.gate.countDown();
        awaitIdle(t.a);
        assertThat(t.log).containsExactly("b1", "a1");
    }

    @Test
    void aTimedOutShutdownInterruptsOnlyItsOwnJobs() throws Exception {
        TwoDevices t = new TwoDevices(1, CompletionOrder.REORDERED, 2);
        t.a.submit(t.gated("a1"));
        t.b.submit(t.gated("b1"));
        t.awaitStarted();

        t.b.shutdown(20);
        awaitIdle(t.b);
        assertThat(t.log).containsExactly("b1 interrupted");
        t.gate.countDown();
        awaitIdle(t.a);
        assertThat(t.log).containsExactly("b1 interrupted", "a1");
    }

    @Test
    void eachDeviceKeepsItsOwnConcurrencyLimit() throws Exception {
        DmaEngine one = new DmaEngine(1, CompletionOrder.REORDERED);
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        int jobs = 200;
        for (int i = 0; i < jobs; i++) {
            one.submit(new DmaEngine.Job() {
                @Override
                public long delayNanos() {
                    return 0;
                }

                @Override
                public void run(Runnable done) {
                    most.accumulateAndGet(now.incrementAndGet(), Math::max);
                    Thread.yield();
                    now.decrementAndGet();
                    done.run();
                }
            });
        }
        awaitIdle(one);
        assertThat(most.get()).isEqualTo(1);
        one.shutdown(1_000);
    }

    @Test
    void fifoRunsInSubmissionOrderWhateverTheDelays() throws Exception {
        DmaEngine e = new DmaEngine(4, CompletionOrder.FIFO);
        List<String> log = new CopyOnWriteArrayList<>();
        long[] delays = {3_000_000, 0, 1_000_000, 0, 2_000_000};
        for (int i = 0; i < delays.length; i++) {
            e.submit(delayed(delays[i], log, "j" + i));
        }
        awaitIdle(e);
        assertThat(log).containsExactly("j0", "j1", "j2", "j3", "j4");
        e.shutdown(1_000);
    }
}
