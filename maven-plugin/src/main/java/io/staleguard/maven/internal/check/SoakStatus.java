package io.staleguard.maven.internal.check;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The statuses of a soak summary, worst last, and what each means for a verdict. Only a whole result passes
 * {@code check} on its counts alone: {@code COMPLETE}, and {@code REPLAY} (one seed, replayed to its end). A partial
 * one never passes silently (docs/NIGHTLY.md, "When a soak is not whole").
 */
public enum SoakStatus {

    /** The whole budget ran. */
    COMPLETE("the soak ran its whole budget"),
    /** One scenario seed replayed to its end. */
    REPLAY("one seed was replayed"),
    /** Stopped by SIGINT or SIGTERM, or by its parent Maven going away: the counts are those of a partial run. */
    INTERRUPTED("the soak was stopped before its budget ran out: what it found is real, but it did not run the "
            + "whole budget"),
    /**
     * A checkpoint no one finished: Maven and the fork were both killed (kill -9, the OOM killer, a lost CI agent),
     * or a soak still runs into this directory.
     */
    RUNNING("the summary is a checkpoint of a soak that never finished: Maven and its forked JVM were killed "
            + "(kill -9, the OOM killer, a lost CI agent) or a soak is still writing to this directory"),
    /** The forked JVM died; counts from its last checkpoint. */
    CRASHED("the forked soak JVM died; counts are from its last checkpoint");

    private final String meaning;

    SoakStatus(String meaning) {
        this.meaning = meaning;
    }

    /** What the status means, for failure messages. */
    public String meaning() {
        return meaning;
    }

    /** Whether a summary with this status is a whole result, judged on its counts alone. */
    public boolean whole() {
        return this == COMPLETE || this == REPLAY;
    }

    /** The worse of two statuses (the later in declaration order): what a merge of both carries. */
    public static SoakStatus worse(SoakStatus a, SoakStatus b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The status named {@code text}, if it is one. */
    public static Optional<SoakStatus> parse(String text) {
        return Arrays.stream(values()).filter(s -> s.name().equals(text)).findFirst();
    }

    /** The names, for error messages. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Enum::name).toList();
    }
}
