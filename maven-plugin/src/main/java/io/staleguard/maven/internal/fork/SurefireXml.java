package io.staleguard.maven.internal.fork;

import io.staleguard.maven.internal.json.ReportJson;
import io.staleguard.maven.internal.model.Counts;
import io.staleguard.maven.internal.model.ScenarioStats;
import io.staleguard.maven.internal.model.SoakSummary;
import io.staleguard.maven.internal.model.TestStats;
import io.staleguard.maven.internal.model.ViolationEntry;
import io.staleguard.maven.internal.model.WorkloadStats;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes {@code TEST-staleguard-soak.xml} in surefire's format, so CI servers (Jenkins' JUnit
 * publisher, GitHub test reporters) show the soak: one test case per scenario and preset, per
 * {@code @Soak} test and per real-backend workload, failed when it found violations.
 */
public final class SurefireXml {

    /** The file name. */
    public static final String FILE = "TEST-staleguard-soak.xml";

    private SurefireXml() {
    }

    /** Writes the XML for {@code s} atomically. */
    public static void write(Path file, SoakSummary s) throws IOException {
        StringBuilder cases = new StringBuilder();
        int tests = 0;
        int failures = 0;
        int errors = 0;
        int skipped = 0;
        for (ScenarioStats row : s.scenarios()) {
            tests++;
            long v = Counts.total(row.counts());
            cases.append("  <testcase classname=\"staleguard.scenario.").append(esc(row.preset())).append("\" name=\"")
                    .append(esc(row.hazard())).append("\" time=\"0\">\n");
            if (row.runs() == 0) {
                skipped++;
                cases.append("    <skipped message=\"the budget ended before this scenario ran\"/>\n");
            } else if (v > 0) {
                failures++;
                cases.append("    <failure type=\"").append(esc(kinds(row.counts()))).append("\" message=\"")
                        .append(esc(row.runsWithViolations() + " of " + row.runs() + " seeds found " + Counts.inWords(
                                row.counts()))).append("\">").append(esc("reproduce: " + row.firstReproduce()))
                        .append("</failure>\n");
            }
            cases.append("    <system-out>").append(esc(row.runs() + " seeds, " + row.operations() + " operations"))
                    .append("</system-out>\n  </testcase>\n");
        }
        for (TestStats row : s.tests()) {
            tests++;
            cases.append("  <testcase classname=\"").append(esc(row.className())).append("\" name=\"")
                    .append(esc(row.methodName())).append("\" time=\"0\">\n");
            if (row.failures() > 0) {
                failures++;
                cases.append("    <failure type=\"").append(esc(kinds(row.counts()))).append("\" message=\"")
                        .append(esc(row.failures() + " of " + row.runs() + " runs failed; violations: "
                                + Counts.inWords(row.counts()) + "; " + row.firstFailure())).append("\">")
                        .append(esc("reproduce: " + row.firstReproduce())).append("</failure>\n");
            }
            cases.append("    <system-out>").append(esc(row.runs() + " runs, " + row.operations() + " operations"))
                    .append("</system-out>\n  </testcase>\n");
        }
        for (WorkloadStats row : s.workloads()) {
            tests++;
            cases.append("  <testcase classname=\"staleguard.workload\" name=\"").append(esc(row.backend()))
                    .append("\" time=\"0\">\n");
            if (!row.unavailable().isEmpty()) {
                errors++;
                cases.append("    <error message=\"").append(esc("backend unavailable: " + row.unavailable()))
                        .append("\"/>\n");
            } else if (Counts.total(row.counts()) > 0) {
                failures++;
                cases.append("    <failure type=\"").append(esc(kinds(row.counts()))).append("\" message=\"")
                        .append(esc(Counts.inWords(row.counts()))).append("\"/>\n");
            }
            cases.append("    <system-out>").append(esc(row.description() + ": " + row.operations() + " operations"))
                    .append("</system-out>\n  </testcase>\n");
        }
        if (!s.complete()) {
            tests++;
            errors++;
            cases.append("  <testcase classname=\"staleguard.soak\" name=\"run\" time=\"0\">\n    <error message=\"")
                    .append(esc(s.status() + ": " + s.statusDetail())).append("\"/>\n  </testcase>\n");
        }
        StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append("<testsuite name=\"staleguard-soak\" tests=\"").append(tests).append("\" failures=\"")
                .append(failures).append("\" errors=\"").append(errors).append("\" skipped=\"").append(skipped)
                .append("\" time=\"").append(String.format(java.util.Locale.ROOT, "%.3f", s.elapsedMillis() / 1000.0))
                .append("\" timestamp=\"").append(esc(s.startedAt())).append("\">\n  <properties>\n")
                .append(prop("staleguard.shard", s.shard())).append(prop("staleguard.seed", s.masterSeed()))
                .append(prop("staleguard.kernel", String.join(",", s.kernels())))
                .append(prop("staleguard.backend", s.backend())).append(prop("status", s.status()))
                .append(prop("operations", Long.toString(s.operations()))).append("  </properties>\n")
                .append(cases);
        if (!s.violations().isEmpty()) {
            out.append("  <system-out>");
            for (ViolationEntry e : s.violations()) {
                out.append(esc(e.id() + " " + e.name() + ": " + (e.violation() == null ? "" : e.violation().summary())
                        + " | reproduce: " + e.reproduce())).append('\n');
            }
            out.append("</system-out>\n");
        }
        out.append("</testsuite>\n");
        ReportJson.writeAtomically(file, out.toString());
    }

    private static String prop(String name, String value) {
        return "    <property name=\"" + esc(name) + "\" value=\"" + esc(value) + "\"/>\n";
    }

    private static String kinds(java.util.Map<String, Long> counts) {
        return String.join(",", counts.keySet().stream().map(Counts::words).toList());
    }

    private static String esc(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : (s == null ? "" : s).toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\t') {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
