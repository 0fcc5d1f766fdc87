package io.staleguard.device.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The position tracker's rule on its own, each step run on a named thread in the order the test gives (the
 * channel's position lock is the test's sequencing).
 */
class PositionTrackerTest {

    private static final int BS = 4096;

    private final ViolationRecorder recorder = new ViolationRecorder();
    private final AtomicLong clock = new AtomicLong();
    private final PositionTracker tracker = new PositionTracker("FileChannel#t", BS, recorder, new OperationLog(),
            clock::incrementAndGet);
    private final List<ExecutorService> threads = new ArrayList<>();

    private ExecutorService thread(String name) {
        ExecutorService e = Executors.newSingleThreadExecutor(r -> new Thread(r, name));
        threads.add(e);
        return e;
    }

    private static <T> T on(ExecutorService t, Callable<T> step) throws Exception {
        return t.submit(step).get();
    }

    @AfterEach
    void stop() {
        threads.forEach(ExecutorService::shutdownNow);
    }

    @Test
    void everyThreadWhosePositionAnotherMovedIsFlaggedBeyondTheFirstFourRows() throws Exception {
        List<ExecutorService> ts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ts.add(thread("t" + i));
        }
        for (int i = 0; i < 6; i++) {
            long at = (long) i * BS;
            on(ts.get(i), () -> {
                tracker.set(at);
                return null;
            });
        }
        for (int i = 0; i < 6; i++) {
            long used = 5L * BS + (long) i * BS;
            boolean raced = on(ts.get(i), () -> {
                boolean r = tracker.beforeRelative(false, used, BS);
                tracker.advanced(false, used + BS, BS);
                return r;
            });
            assertThat(raced).as("t" + i + ": another thread moved the position after it set it").isTrue();
        }
        List<Violation> vs = recorder.all();
        assertThat(vs).hasSize(6).allSatisfy(v -> assertThat(v.kind()).isEqualTo(ViolationKind.POSITION_RACE));
        assertThat(vs.get(0).expected()).startsWith("position 0 (set by t0: position(0) at t=1)");
        assertThat(vs.get(0).actual()).startsWith("position 20480 (moved by t5: position(20480) at t=6)");
        assertThat(vs.get(1).actual()).startsWith("position 24576 (moved by t0: a read of 4096 bytes at t=");
        assertThat(on(ts.get(5), () -> tracker.beforeRelative(false, 11L * BS, BS)))
                .as("t5 moved the position last: its next read is where it left it").isFalse();
    }

    @Test
    void aThreadThatOnlyReadsRelativelyNeverExpectsAndAnObservationResynchronises() throws Exception {
        ExecutorService setter = thread("setter");
        ExecutorService reader = thread("reader");
        on(setter, () -> {
            tracker.set(BS);
            return null;
        });
        assertThat(on(reader, () -> tracker.beforeRelative(false, BS, BS))).isFalse();
        on(reader, () -> {
            tracker.advanced(false, 2 * BS, BS);
            return null;
        });
        on(setter, () -> {
            tracker.observed(2 * BS);
            return null;
        });
        assertThat(on(setter, () -> tracker.beforeRelative(true, 2 * BS, 10))).isFalse();
        assertThat(recorder.all()).isEmpty();
    }

    @Test
    void aCallThatMovesNothingSynchronisesWithoutMovingTheOthers() throws Exception {
        ExecutorService a = thread("a");
        ExecutorService b = thread("b");
        on(a, () -> {
            tracker.set(0);
            return null;
        });
        on(b, () -> {
            tracker.set(BS);
            tracker.observed(BS);
            return null;
        });
        on(a, () -> {
            tracker.observed(BS);
            return null;
        });
        on(b, () -> {
            tracker.advanced(false, BS, -1);   // end of data: the position did not move
            return null;
        });
        assertThat(on(a, () -> tracker.beforeRelative(false, BS, BS))).isFalse();
    }

    @Test
    void aRaceWhoseCallThrowsIsRecordedAtTheNextCall() throws Exception {
        ExecutorService a = thread("a");
        ExecutorService b = thread("b");
        on(a, () -> {
            tracker.set(0);
            return null;
        });
        on(b, () -> {
            tracker.set(BS);
            return null;
        });
        assertThat(on(a, () -> tracker.beforeRelative(false, BS, BS))).isTrue();
        assertThat(recorder.all()).as("recorded once the call is over").isEmpty();
        // the call threw: no advanced(..); the next call of any thread records it
        on(b, () -> {
            tracker.observed(BS);
            return null;
        });
        assertThat(recorder.all()).hasSize(1);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> new PositionTracker("c", 0, recorder, null, clock::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("blockSize must be > 0, was 0");
        assertThatThrownBy(() -> new PositionTracker(null, BS, recorder, null, clock::get))
                .isInstanceOf(NullPointerException.class).hasMessage("channel");
    }
}
