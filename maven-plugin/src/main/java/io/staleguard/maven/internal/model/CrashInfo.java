package io.staleguard.maven.internal.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The {@code crash} member of a DURABILITY or CRASH_RECOVERY violation ({@code docs/REPORT-FORMAT.md}): the crash
 * state it was found in and, from format 1.1, that state's explanation. A report of format 1.0 carries only
 * {@code state} and {@code model}; the rest reads as null or empty.
 *
 * @param state   the crash state ({@code -Dstaleguard.crashState=<state>} replays it)
 * @param model   the crash model ({@code POSIX}, {@code EXT4_ORDERED}, {@code NO_ORDERING})
 * @param point   where the power was lost, or null (format 1.0)
 * @param counts  {@code kept}, {@code dropped}, {@code torn}: exact counts (the lists may be cut short)
 * @param kept    volatile operations that persisted whole
 * @param dropped volatile operations that did not persist (lost writes included)
 * @param torn    writes of which only leading units persisted
 * @param missing for every lost item, the persistence operation that was missing
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CrashInfo(int state, String model, Point point, Map<String, Integer> counts, List<Operation> kept,
                        List<Operation> dropped, List<Operation> torn, List<Missing> missing) {

    public CrashInfo {
        model = model == null ? "" : model;
        counts = counts == null ? Map.of() : Map.copyOf(counts);
        kept = kept == null ? List.of() : List.copyOf(kept);
        dropped = dropped == null ? List.of() : List.copyOf(dropped);
        torn = torn == null ? List.of() : List.copyOf(torn);
        missing = missing == null ? List.of() : List.copyOf(missing);
    }

    /**
     * The crash point.
     *
     * @param index     its position among the exploration's crash points
     * @param position  recorded operations before it
     * @param time      the device clock at the point (the timeline's time)
     * @param placement {@code BEFORE}, {@code AFTER} or {@code END}
     * @param operation the operation it is placed by, in words
     * @param text      the point in one sentence
     */
    public record Point(int index, int position, long time, String placement, String operation, String text) {
        public Point {
            placement = placement == null ? "" : placement;
            operation = operation == null ? "" : operation;
            text = text == null ? "" : text;
        }
    }

    /**
     * One volatile operation and its fate.
     *
     * @param fate       {@code KEPT}, {@code DROPPED}, {@code TORN} or {@code LOST}
     * @param op         {@code write}, {@code create}, {@code rename}, {@code size}, …
     * @param path       the file or directory (a rename's source)
     * @param toPath     a rename's target, or empty
     * @param offset     a write's file offset (see the format for the other operations)
     * @param length     a write's length
     * @param keptLength leading bytes of a write that persisted
     * @param time       when it took effect, in the device clock
     * @param text       its fate in words
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Operation(String fate, String op, String path, String toPath, long offset, long length,
                            long keptLength, long time, String text) {
        public Operation {
            fate = fate == null ? "" : fate;
            op = op == null ? "" : op;
            path = path == null ? "" : path;
            toPath = toPath == null ? "" : toPath;
            text = text == null ? "" : text;
        }
    }

    /**
     * A missing persistence operation.
     *
     * @param missing  {@code DIRECTORY_FSYNC}, {@code JOURNAL_COMMIT}, {@code FORCE}, {@code FORCE_BEFORE_RENAME},
     *                 {@code FORCE_METADATA} or {@code REWRITE_AFTER_FAILED_FORCE}
     * @param path     where it was missing (the directory to fsync, the file to force)
     * @param lostPath what was lost
     * @param lostAt   when the lost operation took effect
     * @param text     the sentence the detail prints
     */
    public record Missing(String missing, String path, String lostPath, long lostAt, String text) {
        public Missing {
            missing = missing == null ? "" : missing;
            path = path == null ? "" : path;
            lostPath = lostPath == null ? "" : lostPath;
            text = text == null ? "" : text;
        }
    }

    /** The count of {@code fate} ({@code kept}, {@code dropped}, {@code torn}), else the list's length. */
    public int count(String fate) {
        Integer n = counts.get(fate);
        if (n != null) {
            return n;
        }
        return switch (fate) {
            case "kept" -> kept.size();
            case "dropped" -> dropped.size();
            case "torn" -> torn.size();
            default -> 0;
        };
    }
}
