package io.staleguard.device.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stripe locks are made on first use. Two threads that touch a fresh stripe at the same moment must still get the
 * same lock: otherwise a block's data and its PI tuple could be changed by two transfers at once.
 */
class StripeLocksTest {

    @Test
    void aThreadThatLostTheRaceToMakeAStripeGetsTheWinnersLock() {
        StripeLocks locks = new StripeLocks();
        var first = locks.stripe(7);
        // What a thread does when it read the stripe as missing just before another thread made it.
        assertThat(locks.make(7)).isSameAs(first);
        assertThat(locks.stripe(7)).isSameAs(first);
        assertThat(locks.stripe(8)).isNotSameAs(first);
    }

    @Test
    void threadsRacingToAFreshStripeShareOneLock() throws Exception {
        int trials = 500;
        int increments = 200;
        CyclicBarrier start = new CyclicBarrier(3);
        CyclicBarrier done = new CyclicBarrier(3);
        StripeLocks[] current = new StripeLocks[1];
        long[] counter = new long[1];
        Runnable racer = () -> {
            try {
                for (int t = 0; t < trials; t++) {
                    start.await(10, TimeUnit.SECONDS);
                    StripeLocks locks = current[0];
                    for (int i = 0; i < increments; i++) {
                        // The first call of both threads races to make stripe 3; a lost race that made a second
                        // lock would let both threads in and lose increments of the unguarded counter.
                        locks.lock(3L + 256L * i);
                        counter[0]++;
                        locks.unlock(3L + 256L * i);
                    }
                    done.await(10, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Thread a = new Thread(racer, "racer-a");
        Thread b = new Thread(racer, "racer-b");
        for (int t = 0; t < trials; t++) {
            current[0] = new StripeLocks();
            counter[0] = 0;
            if (t == 0) {
                a.start();
                b.start();
            }
            start.await(10, TimeUnit.SECONDS);
            done.await(10, TimeUnit.SECONDS);
            assertThat(counter[0]).as("increments under stripe 3's lock, trial %d", t).isEqualTo(2L * increments);
        }
        a.join(10_000);
        b.join(10_000);
    }

    @Test
    void aRangeLocksEveryStripeItCoversAndWrapsAround() throws Exception {
        StripeLocks locks = new StripeLocks();
        locks.lock(250, 10);   // stripes 250..255 and 0..3
        try {
            assertThat(lockedElsewhere(locks, 0)).isTrue();
            assertThat(lockedElsewhere(locks, 3)).isTrue();
            assertThat(lockedElsewhere(locks, 255)).isTrue();
            assertThat(lockedElsewhere(locks, 4)).isFalse();
            assertThat(lockedElsewhere(locks, 249)).isFalse();
        } finally {
            locks.unlock(250, 10);
        }
        assertThat(lockedElsewhere(locks, 0)).isFalse();
        assertThat(lockedElsewhere(locks, 255)).isFalse();
    }

    /** Whether another thread finds block {@code lba}'s stripe held (a non-blocking try, so no timing decides it). */
    private static boolean lockedElsewhere(StripeLocks locks, long lba) throws Exception {
        boolean[] took = new boolean[1];
        Thread t = new Thread(() -> {
            var stripe = locks.stripe((int) (lba & 255));
            took[0] = stripe.tryLock();
            if (took[0]) {
                stripe.unlock();
            }
        });
        t.start();
        t.join(10_000);
        assertThat(t.isAlive()).as("the probing thread ended").isFalse();
        return !took[0];
    }
}
