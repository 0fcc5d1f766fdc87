package io.staleguard.maven.internal.html;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import io.staleguard.maven.internal.check.ReportSet;
import io.staleguard.maven.internal.check.Verdict;
import io.staleguard.maven.internal.json.ReportFileException;
import io.staleguard.maven.internal.json.ReportJson;
import io.staleguard.maven.internal.model.Counts;
import io.staleguard.maven.internal.model.CrashInfo;
import io.staleguard.maven.internal.model.ReportedDevice;
import io.staleguard.maven.internal.model.ReportedEvent;
import io.staleguard.maven.internal.model.ReportedViolation;
import io.staleguard.maven.internal.model.ScenarioStats;
import io.staleguard.maven.internal.model.SoakSummary;
import io.staleguard.maven.internal.model.TestReport;
import io.staleguard.maven.internal.model.TestStats;
import io.staleguard.maven.internal.model.ViolationEntry;
import io.staleguard.maven.internal.model.ViolationFile;
import io.staleguard.maven.internal.model.WorkloadStats;
import io.staleguard.device.ViolationKind;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes the self-contained HTML report: {@code index.html} (summary, scenario and test tables,
 * throughput) and one page per violation under {@code html/} with its timeline drawn as SVG. No
 * scripts, fonts or styles are loaded from anywhere: the pages work offline and as CI artifacts.
 */
public final class HtmlReport {

    /** Violation pages beyond this many are not written (the index says how many were left out). */
    static final int MAX_PAGES = 500;

    private static final MustacheFactory MUSTACHE = new DefaultMustacheFactory("io/staleguard/maven/internal/html") {
        @Override
        public void encode(String value, Writer writer) {
            // Escape what HTML needs and nothing more, so commands in the page's source stay copyable.
            try {
                writer.write(Svg.esc(value));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private HtmlReport() {
    }

    /** Writes the report for {@code reports} into its directory; returns the index file. */
    public static Path write(ReportSet reports, String project, Set<ViolationKind> failOn, long maxViolations)
            throws IOException, ReportFileException {
        Path dir = reports.directory();
        Verdict verdict = Verdict.of(reports, failOn, maxViolations);
        Map<String, Object> index = new HashMap<>();
        index.put("project", project);
        index.put("generated", Instant.now().toString());
        index.put("verdict", verdict.failed() ? firstLine(verdict.message()) : verdict.message());
        index.put("verdictClass", verdict.failed() ? "bad" : "ok");

        Map<String, Long> fromTests = new LinkedHashMap<>();
        reports.tests().forEach(t -> Counts.addInto(fromTests, t.counts()));
        Map<String, Long> fromSoak = reports.soak().map(SoakSummary::counts).orElse(Map.of());
        List<Map<String, Object>> kinds = new ArrayList<>();
        verdict.totals().forEach((k, v) -> kinds.add(Map.of("words", Counts.words(k),
                "tests", fromTests.getOrDefault(k, 0L), "soak", fromSoak.getOrDefault(k, 0L), "total", v)));
        index.put("kinds", kinds);
        index.put("testCount", reports.tests().size());
        index.put("testsWithViolations", reports.tests().stream().filter(t -> Counts.total(t.counts()) > 0).count());
        index.put("soakOperations", reports.soak().map(s -> String.format("%,d", s.operations())).orElse("-"));

        List<Map<String, Object>> tests = new ArrayList<>();
        for (TestReport t : reports.tests()) {
            Map<String, Object> row = new HashMap<>();
            row.put("name", t.testName());
            row.put("status", t.status());
            row.put("statusClass", "PASSED".equals(t.status()) ? "ok" : "bad");
            row.put("backend", t.backend());
            row.put("preset", t.preset());
            row.put("seed", t.seed());
            row.put("operations", t.operations());
            row.put("bytes", t.bytes());
            row.put("durationMillis", t.durationMillis());
            row.put("counts", Counts.inWords(t.counts()));
            row.put("faults", String.join("; ", t.faultLines()));
            tests.add(row);
        }
        index.put("tests", tests);

        List<Map<String, Object>> violationRows = new ArrayList<>();
        int pages = 0;
        long listedOrSkipped = 0;
        int n = 0;
        for (TestReport t : reports.tests()) {
            for (ReportedViolation v : t.violations()) {
                n++;
                listedOrSkipped++;
                if (pages >= MAX_PAGES) {
                    continue;
                }
                String id = "test-" + n;
                writePage(dir, id, t.testName(), t.seed(), v.reproduceOr(t.reproduce()), v, v.timeline(), List.of(),
                        faultsView(t));
                violationRows.add(row(id, t.testName(), t.seed(), v));
                pages++;
            }
        }
        Optional<SoakSummary> soak = reports.soak();
        if (soak.isPresent()) {
            SoakSummary s = soak.get();
            index.put("soak", soakView(s));
            for (ViolationEntry e : s.violations()) {
                listedOrSkipped++;
                if (pages >= MAX_PAGES || e.violation() == null) {
                    continue;
                }
                Optional<ViolationFile> file = reports.violationFile(e.file());
                List<ReportedEvent> timeline = file.map(ViolationFile::timeline).filter(l -> !l.isEmpty())
                        .orElse(e.violation().timeline());
                List<ReportedEvent> minimal = file.map(ViolationFile::minimalTimeline).orElse(List.of());
                String id = safeId(e.id());
                writePage(dir, id, e.name(), e.seed(), e.reproduce(), e.violation(), timeline, minimal,
                        soakFaultsView(s, e));
                violationRows.add(row(id, e.name(), e.seed(), e.violation()));
                pages++;
            }
        }
        long total = Counts.total(verdict.totals());
        index.put("violations", violationRows);
        index.put("violationCount", total);
        long unlisted = Math.max(total, listedOrSkipped) - violationRows.size();
        index.put("moreViolations", unlisted > 0 ? unlisted : null);
        Path out = dir.resolve("index.html");
        ReportJson.writeAtomically(out, render("index.mustache", index));
        return out;
    }

    private static Map<String, Object> soakView(SoakSummary s) {
        Map<String, Object> m = new HashMap<>();
        m.put("status", s.status());
        m.put("statusClass", s.complete() ? "ok" : "bad");
        m.put("statusDetail", s.statusDetail().isEmpty() ? null : s.statusDetail());
        m.put("budget", seconds(s.budgetMillis()));
        m.put("elapsed", seconds(s.elapsedMillis()));
        m.put("shard", s.shard());
        m.put("masterSeed", s.masterSeed());
        m.put("backend", s.backend());
        m.put("kernels", s.kernels().isEmpty() ? "none" : String.join(", ", s.kernels()));
        m.put("operations", String.format("%,d", s.operations()));
        m.put("bytes", String.format("%,d", s.bytes()));
        m.put("sources", s.sources());
        m.put("hasSources", !s.sources().isEmpty());
        m.put("throughputSvg", ThroughputSvg.render(s.throughput()));
        m.put("faults", s.faults().any() ? soakFaultsLine(s) : null);
        List<Map<String, Object>> scenarios = new ArrayList<>();
        for (ScenarioStats row : s.scenarios()) {
            Map<String, Object> r = new HashMap<>();
            r.put("hazard", row.hazard());
            r.put("preset", row.preset());
            r.put("runs", row.runs());
            r.put("operations", String.format("%,d", row.operations()));
            r.put("runsWithViolations", row.runsWithViolations());
            r.put("rate", row.runs() == 0 ? "-" : String.format("%.0f%%", 100.0 * row.runsWithViolations() / row.runs()));
            r.put("rateClass", row.runsWithViolations() > 0 ? "bad" : "ok");
            r.put("counts", Counts.inWords(row.counts()));
            r.put("opsToFirst", row.runsWithViolations() == 0 ? "-" : row.opsToFirstMin() + " / " + row.opsToFirstMax());
            r.put("firstReproduce", row.firstReproduce());
            scenarios.add(r);
        }
        m.put("scenarios", scenarios);
        List<Map<String, Object>> tests = new ArrayList<>();
        for (TestStats t : s.tests()) {
            Map<String, Object> r = new HashMap<>();
            r.put("name", t.testName());
            r.put("runs", t.runs());
            r.put("failures", t.failures());
            r.put("operations", t.operations());
            r.put("counts", Counts.inWords(t.counts()));
            r.put("firstFailure", t.firstFailure());
            r.put("firstReproduce", t.firstReproduce());
            r.put("faultsFired", t.faultsFired());
            tests.add(r);
        }
        m.put("soakTests", tests);
        List<Map<String, Object>> workloads = new ArrayList<>();
        for (WorkloadStats w : s.workloads()) {
            Map<String, Object> r = new HashMap<>();
            r.put("backend", w.backend());
            r.put("description", w.description());
            r.put("runs", w.runs());
            r.put("operations", w.operations());
            r.put("bytes", w.bytes());
            r.put("counts", Counts.inWords(w.counts()));
            r.put("unavailable", w.unavailable());
            workloads.add(r);
        }
        m.put("workloads", workloads);
        m.put("hasWorkloads", !workloads.isEmpty());
        return m;
    }

    private static Map<String, Object> row(String id, String where, String seed, ReportedViolation v) {
        return Map.of("id", id, "href", "html/" + id + ".html", "words", Counts.words(v.kind()), "where", where,
                "seed", seed, "summary", v.summary());
    }

    private static void writePage(Path dir, String id, String where, String seed, String reproduce,
                                  ReportedViolation v, List<ReportedEvent> timeline, List<ReportedEvent> minimal,
                                  List<Map<String, Object>> faults) throws IOException {
        Map<String, Object> m = new HashMap<>();
        m.put("faults", faults);
        m.put("hasFaults", !faults.isEmpty());
        m.put("id", id);
        m.put("where", where);
        m.put("words", Counts.words(v.kind()));
        m.put("kind", v.kind());
        m.put("summary", v.summary());
        m.put("detail", v.detail().isEmpty() ? null : v.detail());
        m.put("seed", seed);
        m.put("offset", v.offset());
        m.put("length", v.length());
        m.put("lba", v.lba());
        m.put("file", v.location() == null ? null
                : Map.of("path", v.location().path(), "offset", v.location().offset()));
        m.put("firstDiff", v.firstDiffOffset() < 0 ? "unknown" : Long.toString(v.firstDiffOffset()));
        m.put("expected", v.expected());
        m.put("actual", v.actual());
        m.put("thread", v.thread());
        m.put("reproduce", reproduce);
        m.put("submitStack", v.submitStack());
        m.put("hasStack", !v.submitStack().isEmpty());
        m.put("crash", v.crash() == null ? null : crashView(v.crash()));
        m.put("timelineSvg", TimelineSvg.render(timeline, v, "timeline-" + id));
        m.put("hasMinimal", !minimal.isEmpty());
        m.put("minimalSvg", minimal.isEmpty() ? "" : TimelineSvg.render(minimal, v, "minimal-" + id));
        List<Map<String, Object>> events = new ArrayList<>();
        for (ReportedEvent e : timeline) {
            events.add(Map.of("time", e.time(), "thread", e.thread(), "type", e.type(), "offset", e.offset(),
                    "length", e.length(), "version", e.writeId() == 0 ? "" : "v" + e.writeId(), "note", e.note()));
        }
        m.put("events", events);
        ReportJson.writeAtomically(dir.resolve("html").resolve(id + ".html"), render("violation.mustache", m));
    }

    /** The violation page's faults card: per simulated device with faults, its spec and the faults that fired. */
    private static List<Map<String, Object>> faultsView(TestReport t) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ReportedDevice d : t.devices()) {
            if (d.faults() != null && d.faults().any()) {
                out.add(Map.of("label", d.label(), "spec", d.faults().spec(), "fired", d.faults().fired(),
                        "first", d.faults().first().stream().map(Object::toString).toList()));
            }
        }
        return out;
    }

    /**
     * The soak's fault line: "{@code read-error=0.001 (staleguard.faults): 12 faults fired in 34,000 operations of the
     * @Soak tests}"; a soak without a spec whose tests' own faults fired says so.
     */
    private static String soakFaultsLine(SoakSummary s) {
        long testOps = s.tests().stream().mapToLong(TestStats::operations).sum();
        String spec = s.faults().spec().isEmpty() ? "the tests' own (staleguard.faults unset)"
                : s.faults().spec() + " (staleguard.faults)";
        return spec + ": " + String.format("%,d", s.faults().fired()) + " fault" + (s.faults().fired() == 1 ? "" : "s")
                + " fired in " + String.format("%,d", testOps) + " operations of the @Soak tests";
    }

    /** A soak violation page's faults card: for a {@code @Soak} test's violation, the spec its run had. */
    private static List<Map<String, Object>> soakFaultsView(SoakSummary s, ViolationEntry e) {
        if (!"test".equals(e.source()) || s.faults().spec().isEmpty()) {
            return List.of();
        }
        return List.of(Map.of("label", "the soak's @Soak tests (staleguard.faults)", "spec", s.faults().spec(),
                "fired", s.faults().fired(), "first", List.of()));
    }

    /** The violation page's crash card: the state, the point, the fates, and what was missing. */
    private static Map<String, Object> crashView(CrashInfo c) {
        Map<String, Object> m = new HashMap<>();
        m.put("state", c.state());
        m.put("model", c.model());
        m.put("point", c.point() == null ? null : c.point().text());
        m.put("kept", c.count("kept"));
        m.put("dropped", c.count("dropped"));
        m.put("torn", c.count("torn"));
        m.put("hasFates", c.point() != null);
        m.put("missing", c.missing().stream().map(x -> Map.of("missing", x.missing(), "path", x.path(),
                "text", x.text())).toList());
        m.put("hasMissing", !c.missing().isEmpty());
        m.put("droppedOps", texts(c.dropped()));
        m.put("hasDropped", !c.dropped().isEmpty());
        m.put("tornOps", texts(c.torn()));
        m.put("hasTorn", !c.torn().isEmpty());
        m.put("keptOps", texts(c.kept()));
        m.put("hasKept", !c.kept().isEmpty());
        return m;
    }

    /** Each operation's line: the engine's words for its fate (a report without them: the operation itself). */
    private static List<String> texts(List<CrashInfo.Operation> ops) {
        List<String> out = new ArrayList<>();
        for (CrashInfo.Operation op : ops) {
            out.add(!op.text().isEmpty() ? op.text() : "kept: " + op.op() + " `" + op.path() + "`"
                    + (op.toPath().isEmpty() ? "" : " to `" + op.toPath() + "`")
                    + (op.op().equals("write") ? " [" + op.offset() + ", +" + op.length() + ")" : "")
                    + " (t=" + op.time() + ")");
        }
        return out;
    }

    private static String render(String template, Map<String, Object> scope) {
        Mustache mustache = MUSTACHE.compile(template);
        StringWriter out = new StringWriter();
        mustache.execute(out, scope);
        return out.toString();
    }

    private static String safeId(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String seconds(long millis) {
        return String.format("%.1f s", millis / 1000.0);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
