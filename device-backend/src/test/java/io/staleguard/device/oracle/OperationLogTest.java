package io.staleguard.device.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.TimelineEvent;
import io.staleguard.device.TimelineEvent.Type;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperationLogTest {

    @Test
    void keepsTheLastEventsInOrder() {
        OperationLog log = new OperationLog(6); // rounded up to 8
        assertThat(log.capacity()).isEqualTo(8);
        for (int i = 0; i < 20; i++) {
            log.append(i, "t", Type.WRITE_SUBMIT, i * 512L, 512, i, null);
        }
        assertThat(log.snapshot()).extracting(TimelineEvent::time)
                .containsExactly(12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L);
        assertThat(log.appended()).isEqualTo(20);
    }

    @Test
    void aroundReturnsRecentOverlappingEventsAndRangelessOnes() {
        OperationLog log = new OperationLog();
        log.append(1, "w", Type.WRITE_SUBMIT, 0, 4096, 1, null);
        log.append(2, "w", Type.WRITE_SUBMIT, 8192, 4096, 2, null);
        log.append(3, "f", Type.FLUSH, 0, 0, 0, "flush");
        log.append(new TimelineEvent(4, "r", Type.READ_SUBMIT, 4000, 200, 0, null));
        log.append(5, "w", Type.WRITE_COMPLETE, 8192, 4096, 2, null);
        assertThat(log.around(4096, 4096, 10)).extracting(TimelineEvent::time).containsExactly(3L, 4L);
        assertThat(log.around(0, 4096, 10)).extracting(TimelineEvent::time).containsExactly(1L, 3L, 4L);
        assertThat(log.around(8192, 1, 1)).extracting(TimelineEvent::time).containsExactly(5L);
        assertThat(log.around(0, 4096, 0)).isEmpty();
        TimelineEvent e = log.around(4000, 1, 1).get(0);
        assertThat(e).isEqualTo(new TimelineEvent(4, "r", Type.READ_SUBMIT, 4000, 200, 0, null));
    }

    @Test
    void disabledLogRecordsNothing() {
        OperationLog log = new OperationLog();
        log.setEnabled(false);
        log.append(1, "w", Type.NOTE, 0, 0, 0, "x");
        assertThat(log.snapshot()).isEmpty();
        log.setEnabled(true);
        log.append(1, "w", Type.NOTE, 0, 0, 0, "x");
        assertThat(log.snapshot()).hasSize(1);
        log.clear();
        assertThat(log.snapshot()).isEmpty();
        assertThatThrownBy(() -> new OperationLog(0)).hasMessageContaining("was 0");
    }

    @Test
    void concurrentAppendsNeverYieldTornEvents() throws Exception {
        OperationLog log = new OperationLog(64);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            String name = "t" + t;
            long base = t * 1_000_000L;
            threads.add(new Thread(() -> {
                for (long i = 0; i < 200_000; i++) {
                    long v = base + i;
                    log.append(v, name, Type.NOTE, v, v, v, null);
                }
            }));
        }
        threads.forEach(Thread::start);
        int snapshots = 0;
        while (threads.stream().anyMatch(Thread::isAlive) || snapshots == 0) {
            for (TimelineEvent e : log.snapshot()) {
                assertThat(e.offset()).isEqualTo(e.time());
                assertThat(e.length()).isEqualTo(e.time());
                assertThat(e.writeId()).isEqualTo(e.time());
                assertThat(e.thread()).isEqualTo("t" + e.time() / 1_000_000L);
            }
            snapshots++;
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(log.appended()).isEqualTo(600_000);
        assertThat(log.snapshot()).hasSize(64);
    }

    @Test
    void aNewLogDoesNotAllocateItsWholeRing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        new OperationLog(); // warm the class up, so the measure below is the constructor's alone
        long before = threads.getThreadAllocatedBytes(id);
        OperationLog log = new OperationLog();
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        // The full ring is 576 KiB; one segment is 18 KiB.
        assertThat(allocated).as("bytes allocated by new OperationLog()").isLessThan(64 * 1024);
        assertThat(log.capacity()).isEqualTo(OperationLog.DEFAULT_CAPACITY);
    }

    @Test
    void aRingOfManySegmentsWrapsAndClearsLikeOneArray() {
        int capacity = 4 * OperationLog.SEGMENT_EVENTS;
        OperationLog log = new OperationLog(capacity);
        assertThat(log.snapshot()).isEmpty();
        int first = OperationLog.SEGMENT_EVENTS + 3; // part of the ring untouched: those segments are absent
        for (int i = 0; i < first; i++) {
            log.append(i, "t" + (i % 3), Type.WRITE_SUBMIT, i * 512L, 512, i, i % 5 == 0 ? "n" + i : null);
        }
        List<TimelineEvent> some = log.snapshot();
        assertThat(some).hasSize(first);
        assertThat(some.get(first - 1)).isEqualTo(new TimelineEvent(first - 1, "t" + ((first - 1) % 3),
                Type.WRITE_SUBMIT, (first - 1) * 512L, 512, first - 1, null));
        int total = 3 * capacity + 17;
        for (int i = first; i < total; i++) {
            log.append(i, "t" + (i % 3), Type.WRITE_SUBMIT, i * 512L, 512, i, i % 5 == 0 ? "n" + i : null);
        }
        List<TimelineEvent> all = log.snapshot();
        assertThat(all).hasSize(capacity);
        for (int k = 0; k < capacity; k++) {
            long i = total - capacity + k;
            assertThat(all.get(k)).isEqualTo(new TimelineEvent(i, "t" + (i % 3), Type.WRITE_SUBMIT, i * 512L, 512, i,
                    i % 5 == 0 ? "n" + i : null));
        }
        long last = total - 1;
        assertThat(log.around(last * 512L, 1, 1)).extracting(TimelineEvent::time).containsExactly(last);
        log.clear();
        assertThat(log.snapshot()).isEmpty();
        log.append(7, "t", Type.FLUSH, 0, 0, 0, null);
        assertThat(log.snapshot()).extracting(TimelineEvent::time).containsExactly(7L);
    }
}
