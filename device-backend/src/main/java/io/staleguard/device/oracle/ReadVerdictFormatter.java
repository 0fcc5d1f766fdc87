package io.staleguard.device.oracle;

import io.staleguard.device.Violation;
import io.staleguard.device.oracle.ReadVerdict.Forgotten;
import io.staleguard.device.oracle.ReadVerdict.Inadmissible;
import io.staleguard.device.oracle.ReadVerdict.Initial;
import io.staleguard.device.oracle.ReadVerdict.Sectors;
import io.staleguard.device.oracle.ReadVerdict.Superseded;
import io.staleguard.device.oracle.ReadVerdict.Version;
import io.staleguard.device.oracle.ReadVerdict.Write;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a {@link ReadVerdict} in words: the expected, actual and detail texts of the violation a read
 * is reported as. Runs with no lock held; everything it needs is in the verdict.
 */
final class ReadVerdictFormatter {

    /** Versions named in "expected" before the rest are counted as "(n more)". */
    private static final int NAMED = 4;

    private static final String RULE = "; a read may only return the last write completed before it started or a"
            + " write overlapping it";

    private ReadVerdictFormatter() {
    }

    /** The violation for {@code v} on a device of {@code blockSize}-byte blocks, read by {@code thread}. */
    static Violation violation(Inadmissible v, int blockSize, String thread) {
        return Violation.of(v.kind()).at(v.block() * blockSize, blockSize, v.block())
                .saw(expected(v.expected()), actual(v)).by(thread, List.of()).detail(detail(v)).build();
    }

    static String expected(List<Version> versions) {
        if (versions.isEmpty()) {
            return "a forgotten version";
        }
        List<String> words = new ArrayList<>(Math.min(versions.size(), NAMED) + 1);
        for (int i = 0; i < versions.size() && i < NAMED; i++) {
            words.add(describe(versions.get(i)));
        }
        if (versions.size() > NAMED) {
            words.add("(" + (versions.size() - NAMED) + " more)");
        }
        return String.join(" or ", words);
    }

    static String actual(Inadmissible v) {
        if (v.seen() instanceof Superseded s) {
            return describe(s.version());
        }
        if (v.seen() instanceof Forgotten f) {
            return "v" + f.id() + " (an older version; only its content hash is kept)";
        }
        Sectors s = (Sectors) v.seen();
        return switch (v.kind()) {
            case TORN_READ -> sectorMap(s);
            default -> s.owners().length > 1 ? "unknown content (" + sectorMap(s) + ")" : "unknown content";
        };
    }

    static String detail(Inadmissible v) {
        long t = v.readStartTime();
        if (v.seen() instanceof Forgotten f) {
            return "the block returned v" + f.id() + ", superseded before the read started" + at(" (t=", t)
                    + " and several times since" + RULE;
        }
        if (v.seen() instanceof Superseded s) {
            Write by = s.supersededBy();
            String which = s.version() instanceof Write w ? "v" + w.id() : "the initial content";
            return "the block returned " + which + ", superseded"
                    + (by == null ? "" : " by v" + by.id() + " (completed t=" + by.finishedAt() + ")")
                    + " before the read started" + at(" (t=", t) + RULE;
        }
        Sectors s = (Sectors) v.seen();
        return switch (v.kind()) {
            case TORN_READ -> "the block's 512-byte sectors come from versions that never coexisted during the read"
                    + at(" (started t=", t);
            default -> "sector " + s.firstUnknown() + " of the block matches no version written to it"
                    + at(" (read started t=", t);
        };
    }

    /** "v12 (submitted t=3, completed t=9, thread writer-1)", or the initial content. */
    static String describe(Version version) {
        if (version instanceof Initial i) {
            return i.zeros() ? "the initial content (zeros)" : "the initial content";
        }
        Write w = (Write) version;
        StringBuilder sb = new StringBuilder(64).append('v').append(w.id()).append(" (submitted t=")
                .append(w.submittedAt());
        if (w.inFlight()) {
            sb.append(", in flight");
        } else {
            sb.append(w.failed() ? ", failed t=" : ", completed t=").append(w.finishedAt());
        }
        return sb.append(", thread ").append(w.thread()).append(')').toString();
    }

    /** "sectors 0-3 v5, 4-7 v7" (? = unknown). */
    static String sectorMap(Sectors s) {
        long[] owners = s.owners();
        StringBuilder sb = new StringBuilder("sectors ");
        int runStart = 0;
        for (int i = 1; i <= owners.length; i++) {
            if (i < owners.length && owners[i] == owners[runStart]) {
                continue;
            }
            if (runStart > 0) {
                sb.append(", ");
            }
            sb.append(runStart);
            if (i - 1 > runStart) {
                sb.append('-').append(i - 1);
            }
            sb.append(' ').append(label(owners[runStart]));
            runStart = i;
        }
        return sb.toString();
    }

    private static String label(long owner) {
        return owner == Sectors.UNKNOWN ? "?" : owner == Sectors.INITIAL ? "initial" : "v" + owner;
    }

    private static String at(String prefix, long time) {
        return time >= 0 ? prefix + time + ")" : "";
    }
}
