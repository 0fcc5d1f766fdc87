package io.staleguard.device.oracle;

import io.staleguard.device.TimelineEvent;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.oracle.PositionTracker.Sync;
import java.util.List;

/**
 * Puts the position tracker's findings in words: {@link PositionTracker} decides that a relative call used a
 * position another thread moved, this class says so. The builder it returns lacks the range and the timeline.
 */
final class PositionRaceFormatter {

    private PositionRaceFormatter() {
    }

    /**
     * One thread's newest synchronisation with the position: how, where it left the position, and when.
     *
     * @param length bytes of the relative call that moved it (0 for a set, an observation or a truncate)
     */
    record Step(String thread, Sync how, long position, long length, long time) {
    }

    /**
     * A relative call of {@code requested} bytes by {@code expected.thread()} at {@code position}, which
     * {@code moved.thread()} moved after the caller last synchronised with it at {@code expected.position()}.
     */
    static Violation.Builder race(String channel, boolean write, long position, long requested, Step expected,
                                  Step moved) {
        String call = write ? "write" : "read";
        return Violation.of(ViolationKind.POSITION_RACE)
                .saw("position " + expected.position() + " (" + participle(expected.how(), false) + " by "
                                + expected.thread() + ": " + what(expected) + " at t=" + expected.time() + ")",
                        "position " + position + " (moved by " + moved.thread() + ": " + what(moved) + " at t="
                                + moved.time() + ")")
                .by(expected.thread(), List.of())
                .detail(channel + ": " + expected.thread() + " " + (write ? "wrote " : "read ") + requested
                        + " bytes at the channel's position " + position + ", but " + moved.thread()
                        + " moved the position after " + expected.thread() + " " + participle(expected.how(), true)
                        + " it (at " + expected.position() + ") and before the " + call + ". Hold one lock over"
                        + " position(..) and " + call + "(..), or use " + call + "(buffer, position) (the pattern of"
                        + " H2's FileBase, PR #2292, and jhdf, PR #701).");
    }

    /** A timeline note of {@code step}, which the device's operation log never saw. */
    static TimelineEvent note(Step step, long offset) {
        return new TimelineEvent(step.time(), step.thread(), TimelineEvent.Type.NOTE, offset, 0, 0,
                what(step) + " -> position " + step.position());
    }

    private static String what(Step s) {
        return switch (s.how()) {
            case SET -> "position(" + s.position() + ")";
            case OBSERVED -> "position()";
            case READ -> "a read of " + s.length() + " bytes";
            case WRITE -> "a write of " + s.length() + " bytes";
            case APPEND -> "an append of " + s.length() + " bytes";
            case TRUNCATE -> "truncate(" + s.position() + ")";
        };
    }

    /** "set", "saw", "moved": how the caller came to know the position (past tense for the detail). */
    private static String participle(Sync how, boolean pastTense) {
        return switch (how) {
            case SET -> "set";
            case OBSERVED -> pastTense ? "read" : "seen";
            case READ, WRITE, APPEND, TRUNCATE -> pastTense ? "last moved" : "reached";
        };
    }
}
