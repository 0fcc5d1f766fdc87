package io.staleguard.maven.internal.check;

import io.staleguard.device.ViolationKind;
import io.staleguard.maven.internal.model.Counts;
import io.staleguard.maven.internal.model.ReportedViolation;
import io.staleguard.maven.internal.model.SoakSummary;
import io.staleguard.maven.internal.model.TestReport;
import io.staleguard.maven.internal.model.TestStats;
import io.staleguard.maven.internal.model.ViolationEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The build verdict over a {@link ReportSet}: which kinds exceed the allowed count, and a message
 * that names them in words, counts them per kind and lists the first violations with their
 * reproduce commands.
 *
 * @param failed   whether the build must fail
 * @param message  the failure message (or a one-line all-clear)
 * @param totals   kind name to count over tests and soak
 */
public record Verdict(boolean failed, String message, Map<String, Long> totals) {

    /** How many violations the message lists in full. */
    static final int LISTED = 10;

    /** Judges {@code reports}; a soak summary that is not whole fails (see {@link SoakStatus}). */
    public static Verdict of(ReportSet reports, Set<ViolationKind> failOn, long maxViolations) {
        return of(reports, failOn, maxViolations, false);
    }

    /**
     * Judges {@code reports}. A soak summary that is not whole ({@link SoakStatus#whole()}) fails the verdict,
     * whatever it found; with {@code acceptInterrupted} an {@code INTERRUPTED} one is judged on what it found
     * instead ({@code RUNNING} and {@code CRASHED} never are).
     */
    public static Verdict of(ReportSet reports, Set<ViolationKind> failOn, long maxViolations,
                             boolean acceptInterrupted) {
        Map<String, Long> fromTests = new LinkedHashMap<>();
        Map<String, Long> fromSoak = new LinkedHashMap<>();
        List<String> firsts = new ArrayList<>();
        for (TestReport t : reports.tests()) {
            Counts.addInto(fromTests, t.counts());
            for (ReportedViolation v : t.violations()) {
                if (firsts.size() < LISTED && counts(v, failOn)) {
                    firsts.add(describe(t.testName() + (t.seed().isEmpty() ? "" : " (seed " + t.seed() + ")"),
                            v, v.reproduceOr(t.reproduce())));
                }
            }
        }
        SoakSummary soak = reports.soak().orElse(null);
        if (soak != null) {
            Counts.addInto(fromSoak, soak.counts());
            for (ViolationEntry e : soak.violations()) {
                if (firsts.size() < LISTED && e.violation() != null && counts(e.violation(), failOn)) {
                    firsts.add(describe("soak " + e.source() + " " + e.name()
                            + (e.seed().isEmpty() ? "" : " (seed " + e.seed() + ")"), e.violation(), e.reproduce()));
                }
            }
        }
        Map<String, Long> totals = new LinkedHashMap<>(fromTests);
        Counts.addInto(totals, fromSoak);
        totals = Counts.canonical(totals);

        List<String> exceeded = new ArrayList<>();
        for (Map.Entry<String, Long> e : totals.entrySet()) {
            if (isIn(e.getKey(), failOn) && e.getValue() > maxViolations) {
                exceeded.add(Counts.words(e.getKey()));
            }
        }
        SoakStatus status = soak == null ? SoakStatus.COMPLETE : SoakStatus.parse(soak.status()).orElse(null);
        boolean soakBroken = soak != null && (status == null
                || !(status.whole() || (acceptInterrupted && status == SoakStatus.INTERRUPTED)));
        List<String> failedSoakTests = new ArrayList<>();
        if (soak != null) {
            for (TestStats t : soak.tests()) {
                if (t.failures() > 0 && Counts.total(t.counts()) == 0) {
                    // Failed without a Staleguard violation: the test's own assertions caught something under a fresh seed.
                    failedSoakTests.add(t.testName() + " failed " + t.failures() + " of " + t.runs() + " runs: "
                            + t.firstFailure() + "\n     reproduce: " + t.firstReproduce() + "\n");
                }
            }
        }
        if (exceeded.isEmpty() && !soakBroken && failedSoakTests.isEmpty()) {
            return new Verdict(false, "Staleguard: no violations of " + wordsOf(failOn) + " above " + maxViolations
                    + " (" + reports.tests().size() + " test reports" + (soak == null ? "" : ", soak summary "
                    + soak.status() + (status.whole() ? "" : " (partial, accepted by staleguard.acceptPartial)")
                    + " with " + soak.operations() + " operations") + "; found: "
                    + Counts.inWords(totals) + ")", totals);
        }
        StringBuilder msg = new StringBuilder();
        if (!exceeded.isEmpty()) {
            msg.append("Staleguard found I/O consistency violations: ").append(String.join(", ", exceeded))
                    .append(" (").append(Counts.inWords(onlyIn(totals, failOn))).append("; maxViolations ")
                    .append(maxViolations).append(")\n");
            msg.append("Counts per kind:\n");
            for (Map.Entry<String, Long> e : totals.entrySet()) {
                long t = fromTests.getOrDefault(e.getKey(), 0L);
                long s = fromSoak.getOrDefault(e.getKey(), 0L);
                msg.append(String.format("  %-18s %6d  (tests %d, soak %d)%s%n", Counts.words(e.getKey()),
                        e.getValue(), t, s, isIn(e.getKey(), failOn) ? "" : "  [not in failOn]"));
            }
            if (!firsts.isEmpty()) {
                msg.append("First violations:\n");
                for (int i = 0; i < firsts.size(); i++) {
                    msg.append("  ").append(i + 1).append(". ").append(firsts.get(i));
                }
            }
        }
        if (!failedSoakTests.isEmpty()) {
            msg.append("Staleguard soak: @Soak tests failed with fresh seeds:\n");
            failedSoakTests.forEach(f -> msg.append("  ").append(f));
        }
        if (soakBroken) {
            msg.append("Staleguard soak did not complete: ").append(soak.status())
                    .append(soak.statusDetail().isEmpty() ? "" : " - " + soak.statusDetail()).append(" (")
                    .append(status == null ? "not a status of " + SoakStatus.names() : status.meaning())
                    .append("); a partial result never passes: run the soak again")
                    .append(status == SoakStatus.INTERRUPTED ? ", or accept it with -Dstaleguard.acceptPartial=true"
                            : "").append('\n');
        }
        return new Verdict(true, msg.toString().stripTrailing(), totals);
    }

    private static String describe(String where, ReportedViolation v, String reproduce) {
        return where + ": " + v.summary() + (v.detail().isEmpty() ? "" : "\n     " + v.detail())
                + "\n     reproduce: " + (reproduce.isEmpty() ? "(no reproduce command recorded)" : reproduce) + "\n";
    }

    private static boolean counts(ReportedViolation v, Set<ViolationKind> failOn) {
        return isIn(v.kind(), failOn);
    }

    private static boolean isIn(String kindName, Set<ViolationKind> failOn) {
        try {
            return failOn.contains(ViolationKind.parse(kindName));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Map<String, Long> onlyIn(Map<String, Long> totals, Set<ViolationKind> failOn) {
        Map<String, Long> out = new LinkedHashMap<>();
        totals.forEach((k, v) -> {
            if (isIn(k, failOn)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static String wordsOf(Set<ViolationKind> kinds) {
        return kinds.isEmpty() ? "no kind" : String.join(", ", kinds.stream().map(ViolationKind::inWords).toList());
    }
}
