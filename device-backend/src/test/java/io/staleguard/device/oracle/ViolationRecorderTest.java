package io.staleguard.device.oracle;

import static io.staleguard.device.oracle.MemoryMedia.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ViolationRecorderTest {

    private static Violation violation(ViolationKind kind, long offset) {
        return new Violation(kind, offset, 512, offset / 512, "v2", "v1", -1, "t", null, "d", null);
    }

    @Test
    void countsAreExactAndRetentionIsBounded() throws Exception {
        ViolationRecorder rec = new ViolationRecorder(100);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int base = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 5000; i++) {
                    rec.record(violation(i % 2 == 0 ? ViolationKind.STALE_READ : ViolationKind.TORN_READ,
                            (long) (base * 5000 + i) * 512));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(rec.total()).isEqualTo(20000);
        assertThat(rec.count(ViolationKind.STALE_READ)).isEqualTo(10000);
        assertThat(rec.counts()).containsOnlyKeys(ViolationKind.STALE_READ, ViolationKind.TORN_READ);
        assertThat(rec.all()).hasSize(100);
        assertThat(rec.dropped()).isEqualTo(19900);
        assertThat(rec.ofKind(ViolationKind.TORN_READ)).allSatisfy(
                v -> assertThat(v.kind()).isEqualTo(ViolationKind.TORN_READ));
        rec.reset();
        assertThat(rec.total()).isZero();
        assertThat(rec.all()).isEmpty();
        rec.record(violation(ViolationKind.CORRUPT_READ, 0));
        assertThat(rec.all()).hasSize(1);
    }

    @Test
    void retainsTheFirstOnes() {
        ViolationRecorder rec = new ViolationRecorder(2);
        for (int i = 0; i < 5; i++) {
            rec.record(violation(ViolationKind.CORRUPT_READ, i * 512L));
        }
        assertThat(rec.all()).extracting(Violation::offset).containsExactly(0L, 512L);
        assertThat(rec.retainedLimit()).isEqualTo(2);
    }

    @Test
    void failFastThrowsAtTheFirstStaleReadAndNotWhenOff() {
        MemoryMedia m = new MemoryMedia(4096, 4);
        m.write(0, content(4096, 1), "w");
        m.write(0, content(4096, 2), "w");
        assertThat(m.oracle.checkServed(0, ByteBuffer.wrap(content(4096, 1)))).hasSize(1); // off: recorded only
        m.recorder.setFailFast(true);
        assertThatThrownBy(() -> m.oracle.checkServed(0, ByteBuffer.wrap(content(4096, 1))))
                .isInstanceOfSatisfying(IoConsistencyException.class, e -> {
                    assertThat(e.violation().kind()).isEqualTo(ViolationKind.STALE_READ);
                    assertThat(e.getMessage()).isEqualTo(e.violation().summary()).startsWith("stale-read at offset 0");
                });
        assertThat(m.recorder.count(ViolationKind.STALE_READ)).isEqualTo(2);
        // a correct read does not throw
        assertThat(m.oracle.checkServed(0, ByteBuffer.wrap(content(4096, 2)))).isEmpty();
    }

    @Test
    void failFastOnlyForFailingKinds() {
        ViolationRecorder rec = new ViolationRecorder();
        rec.setFailFast(true);
        rec.record(violation(ViolationKind.UNSUPPORTED_MIXING, 0));
        assertThat(rec.failing()).isZero();
        rec.setFailingKinds(Set.of(ViolationKind.TORN_READ));
        rec.record(violation(ViolationKind.STALE_READ, 0));
        assertThatThrownBy(() -> rec.record(violation(ViolationKind.TORN_READ, 0)))
                .isInstanceOf(IoConsistencyException.class);
        assertThat(rec.failing()).isEqualTo(1);
        assertThat(rec.total()).isEqualTo(3);
    }

    @Test
    void listenersSeeEveryViolationAndCannotBreakRecording() {
        ViolationRecorder rec = new ViolationRecorder(1);
        List<Violation> seen = new CopyOnWriteArrayList<>();
        ViolationRecorder.Subscription sub = rec.onViolation(seen::add);
        rec.onViolation(v -> {
            throw new IllegalStateException("listener bug");
        });
        rec.record(violation(ViolationKind.STALE_READ, 0));
        rec.record(violation(ViolationKind.STALE_READ, 512));
        assertThat(seen).hasSize(2);
        assertThat(rec.listenerFailures()).isEqualTo(2);
        assertThat(rec.firstListenerFailure()).hasMessage("listener bug");
        sub.close();
        rec.record(violation(ViolationKind.STALE_READ, 1024));
        assertThat(seen).hasSize(2);
        assertThatThrownBy(() -> new ViolationRecorder(-1)).hasMessageContaining("-1");
    }

    @Test
    void aViolationOverDeviceBytesIsLocatedInItsFileAndOneOverNoneIsNot() {
        ViolationRecorder rec = new ViolationRecorder(10);
        rec.setLocator(offset -> new io.staleguard.device.FileLocation("/f", offset + 7));
        rec.record(violation(ViolationKind.STALE_READ, 4096));
        // A crash-state verdict covers no device bytes: offset 0 is not a place in a file.
        rec.record(Violation.of(ViolationKind.CRASH_RECOVERY).at(0, 0, 0).saw("", "").build());
        assertThat(rec.all().get(0).location()).isEqualTo(new io.staleguard.device.FileLocation("/f", 4103));
        assertThat(rec.all().get(1).location()).isNull();
    }
}
