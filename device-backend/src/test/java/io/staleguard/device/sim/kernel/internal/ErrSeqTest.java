package io.staleguard.device.sim.kernel.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The port of {@code lib/errseq.c}: each cursor reports an error once; sampling and the seen bit as in v4.17. */
class ErrSeqTest {

    @Test
    void aFreshValueReportsNothing() {
        ErrSeq e = new ErrSeq();
        int[] cursor = {e.sample()};
        assertThat(cursor[0]).isZero();
        assertThat(e.checkAndAdvance(cursor)).isZero();
        assertThat(e.check(cursor[0])).isZero();
    }

    @Test
    void everyCursorSampledBeforeTheErrorReportsItOnce() {
        ErrSeq e = new ErrSeq();
        int[] a = {e.sample()};
        int[] b = {e.sample()};
        e.set(ErrSeq.EIO);
        assertThat(e.check(a[0])).isEqualTo(ErrSeq.EIO);
        assertThat(e.checkAndAdvance(a)).isEqualTo(ErrSeq.EIO);
        assertThat(e.checkAndAdvance(a)).isZero();
        assertThat(e.checkAndAdvance(b)).isEqualTo(ErrSeq.EIO);
        assertThat(e.checkAndAdvance(b)).isZero();
    }

    @Test
    void aCursorSampledAfterTheErrorWasSeenNeverReportsIt() {
        ErrSeq e = new ErrSeq();
        int[] a = {e.sample()};
        e.set(ErrSeq.EIO);
        e.checkAndAdvance(a);
        int[] late = {e.sample()};
        assertThat(e.checkAndAdvance(late)).isZero();
    }

    @Test
    void aCursorSampledWhileTheErrorIsUnseenStillReportsIt() {
        // "errseq: Always report a writeback error once" (v4.17): sample() is 0 while nobody has seen the error.
        ErrSeq e = new ErrSeq();
        e.set(ErrSeq.EIO);
        int[] opened = {e.sample()};
        assertThat(opened[0]).isZero();
        assertThat(e.checkAndAdvance(opened)).isEqualTo(ErrSeq.EIO);
        assertThat(e.checkAndAdvance(opened)).isZero();
    }

    @Test
    void theCounterMovesOnlyAfterAnErrorWasSeen() {
        ErrSeq e = new ErrSeq();
        e.set(ErrSeq.EIO);
        int unseen = e.value();
        e.set(ErrSeq.EIO);
        assertThat(e.value()).as("unseen errors collapse").isEqualTo(unseen);
        int[] a = {0};
        e.checkAndAdvance(a);
        assertThat(a[0]).isEqualTo(unseen | ErrSeq.SEEN);
        e.set(ErrSeq.EIO);
        assertThat(e.value()).isEqualTo(unseen + ErrSeq.COUNTER_INCREMENT);
        assertThat(e.checkAndAdvance(a)).as("a second error after the first was seen").isEqualTo(ErrSeq.EIO);
        assertThat(e.checkAndAdvance(a)).isZero();
    }

    @Test
    void theLastErrnoIsTheOneReported() {
        ErrSeq e = new ErrSeq();
        int[] a = {0};
        e.set(ErrSeq.EIO);
        e.set(28);
        assertThat(e.checkAndAdvance(a)).isEqualTo(28);
    }

    @Test
    void aResetIsAFreshMappingAndOldCursorsReportNothingAgainstIt() {
        ErrSeq e = new ErrSeq();
        int[] before = {e.sample()};
        e.set(ErrSeq.EIO);
        int[] seenIt = {0};
        assertThat(e.checkAndAdvance(seenIt)).isEqualTo(ErrSeq.EIO);
        e.set(ErrSeq.EIO);

        e.reset();

        assertThat(e.value()).isZero();
        int[] opened = {e.sample()};
        assertThat(e.checkAndAdvance(opened)).as("a file opened after the reset").isZero();
        assertThat(e.checkAndAdvance(before)).as("a cursor sampled before the error").isZero();
        assertThat(e.checkAndAdvance(seenIt)).as("a cursor that saw the first error").isZero();
        e.set(ErrSeq.EIO);
        assertThat(e.checkAndAdvance(opened)).as("a new error after the reset is reported").isEqualTo(ErrSeq.EIO);
        assertThat(e.checkAndAdvance(seenIt)).isEqualTo(ErrSeq.EIO);
    }

    @Test
    void anErrnoOutsideTheFieldIsRefused() {
        ErrSeq e = new ErrSeq();
        assertThatThrownBy(() -> e.set(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("errno 0 is not in [1, 4095]");
        assertThatThrownBy(() -> e.set(4096)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("errno 4096 is not in [1, 4095]");
    }
}
