package io.staleguard.device.sim.kernel.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/** Pages by index, dense (small files) and sparse (large ones), with atomic insert and removal. */
class PageIndexTest {

    @Test
    void denseAndSparseIndexesBehaveAlike() {
        for (long length : new long[] {4, 5000, PageIndex.DENSE_LIMIT, PageIndex.DENSE_LIMIT + 1L, 1L << 40}) {
            check(PageIndex.singleThreaded(length), length);
            check(PageIndex.concurrent(length), length);
        }
    }

    private static void check(PageIndex<String> ix, long length) {
        long last = length - 1;
        assertThat(ix.get(last)).isNull();
        assertThat(ix.putIfAbsent(last, "a")).isNull();
        assertThat(ix.putIfAbsent(last, "b")).isEqualTo("a");
        assertThat(ix.putIfAbsent(0, "z")).isNull();
        assertThat(ix.get(last)).isEqualTo("a");
        assertThat(ix.size()).isEqualTo(2);
        assertThat(ix.values()).containsExactlyInAnyOrder("z", "a");
        assertThat(ix.remove(last, "b")).isFalse();
        assertThat(ix.remove(last, "a")).isTrue();
        assertThat(ix.remove(0)).isEqualTo("z");
        assertThat(ix.remove(0)).isNull();
        assertThat(ix.size()).isZero();
        ix.putIfAbsent(1, "q");
        ix.clear();
        assertThat(ix.size()).isZero();
        assertThat(ix.get(1)).isNull();
        assertThatThrownBy(() -> ix.putIfAbsent(length, "x")).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void racingInsertsOfOneIndexLeaveOneWinner() throws Exception {
        for (long length : new long[] {4096, 1L << 30}) {
            PageIndex<Object> ix = PageIndex.concurrent(length);
            int threads = 4;
            CyclicBarrier start = new CyclicBarrier(threads);
            ConcurrentLinkedQueue<Object> winners = new ConcurrentLinkedQueue<>();
            Thread[] ts = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                ts[t] = new Thread(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    for (long i = 0; i < 2000; i++) {
                        Object mine = new Object();
                        if (ix.putIfAbsent(i, mine) == null) {
                            winners.add(mine);
                        }
                    }
                });
                ts[t].start();
            }
            for (Thread t : ts) {
                t.join();
            }
            assertThat(winners).hasSize(2000);
            assertThat(ix.size()).isEqualTo(2000);
        }
    }
}
