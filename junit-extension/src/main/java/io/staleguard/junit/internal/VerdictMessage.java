package io.staleguard.junit.internal;

import io.staleguard.device.TimelineEvent;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders the failure message of a test with violations. */
public final class VerdictMessage {

    /** How many violations the message shows in full. */
    static final int SHOWN = 5;
    /** How many timeline events per shown violation (the last ones, nearest the violation). */
    static final int TIMELINE = 16;

    private VerdictMessage() {
    }

    /** The message: counts per kind, sources, the first violations with timelines, and the reproduce line. */
    public static String render(TestOutcome outcome) {
        Map<ViolationKind, Long> counts = outcome.counts();
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder sb = new StringBuilder();
        sb.append(total).append(total == 1 ? " I/O consistency violation" : " I/O consistency violations")
                .append(" in ").append(simpleName(outcome.className())).append('#').append(outcome.methodName())
                .append(": ").append(renderCounts(counts)).append('\n');
        for (SourceFindings s : outcome.sources()) {
            sb.append("  ").append(s.label()).append(": ").append(s.describe()).append(", seed ")
                    .append(Settings.hex(s.seed()));
            if (s.operations() >= 0) {
                sb.append(", ").append(s.operations()).append(" ops, ").append(s.bytes()).append(" bytes");
            }
            long n = s.counts().values().stream().mapToLong(Long::longValue).sum();
            sb.append(n == 0 ? ", clean" : ", " + renderCounts(s.counts())).append('\n');
        }
        List<Violation> all = outcome.violations();
        List<Violation> failing = all.stream().filter(v -> outcome.failOn().contains(v.kind())).toList();
        List<Violation> shown = (failing.isEmpty() ? all : failing).stream().limit(SHOWN).toList();
        if (!shown.isEmpty()) {
            sb.append("first violations:\n");
        }
        int i = 1;
        for (Violation v : shown) {
            sb.append("  ").append(i++).append(". ").append(v.summary()).append('\n');
            if (!v.detail().isEmpty()) {
                sb.append("     ").append(v.detail().replace("\n", "\n     ")).append('\n');
            }
            for (String frame : v.submitStack().stream().limit(8).toList()) {
                sb.append("       at ").append(frame).append('\n');
            }
            List<TimelineEvent> tl = v.timeline();
            if (!tl.isEmpty()) {
                sb.append("     timeline").append(tl.size() > TIMELINE ? " (last " + TIMELINE + " events)" : "")
                        .append(":\n");
                for (TimelineEvent e : tl.subList(Math.max(0, tl.size() - TIMELINE), tl.size())) {
                    sb.append("       ").append(e.render()).append('\n');
                }
            }
        }
        if (all.size() > shown.size()) {
            sb.append("  ... ").append(total - shown.size()).append(" more; see the report ").append('\n');
        }
        sb.append("seed: master ").append(Settings.hex(outcome.masterSeed())).append(", test ")
                .append(Settings.hex(outcome.testSeed())).append('\n');
        sb.append(Reproduce.NOTE).append(outcome.reproduce());
        return sb.toString();
    }

    /** {@code "guard-tag: 2, short-transfer: 1"}. */
    public static String renderCounts(Map<ViolationKind, Long> counts) {
        return counts.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey().inWords() + ": " + e.getValue()).collect(Collectors.joining(", "));
    }

    static String simpleName(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(dot + 1);
    }
}
