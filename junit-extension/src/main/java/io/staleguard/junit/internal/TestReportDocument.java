package io.staleguard.junit.internal;

import io.staleguard.device.FileLocation;
import io.staleguard.device.TimelineEvent;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.fs.crash.CrashExplanation;
import io.staleguard.device.fs.crash.CrashPointInfo;
import io.staleguard.device.fs.crash.MissingPersistence;
import io.staleguard.device.fs.crash.VolatileOperation;
import io.staleguard.device.sim.FiredFault;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Renders a {@link TestOutcome} as a {@code staleguard-test-report/1} document, version {@value #FORMAT_VERSION}
 * (docs/REPORT-FORMAT.md).
 */
public final class TestReportDocument {

    /** The format name and major version. */
    public static final String FORMAT = "staleguard-test-report/1";
    /**
     * The major and minor version: a minor version only adds optional members, so every reader of major 1 reads it.
     * 1.1 added the crash explanation ({@code crash.point}, {@code kept}, {@code dropped}, {@code torn},
     * {@code missing}); 1.2 a simulated device's {@code faults} (the spec in effect and the faults fired).
     */
    public static final String FORMAT_VERSION = "1.2";
    /** How many fired faults each device's {@code faults} object lists; its {@code fired} count stays exact. */
    static final int MAX_FAULTS = 50;
    /** How many operations each list of a crash explanation keeps; its counts stay exact. */
    static final int MAX_CRASH_OPERATIONS = 50;
    /** How many violations a report keeps in full; counts stay exact. */
    static final int MAX_VIOLATIONS = 100;

    private TestReportDocument() {
    }

    /** The report document. */
    public static String render(TestOutcome o) {
        JsonWriter w = new JsonWriter().beginObject();
        w.field("format", FORMAT);
        w.field("formatVersion", FORMAT_VERSION);
        w.field("testId", o.testId());
        w.field("className", o.className());
        w.field("methodName", o.methodName());
        w.field("displayName", o.displayName());
        w.field("status", o.status());
        w.field("seed", Settings.hex(o.testSeed()));
        w.field("masterSeed", Settings.hex(o.masterSeed()));
        SourceFindings main = o.sources().stream().filter(s -> !s.backend().isEmpty()).findFirst().orElse(null);
        w.field("backend", main == null ? "" : main.backend());
        w.field("preset", main == null ? "" : main.preset());
        w.field("operations", o.sources().stream().mapToLong(s -> Math.max(0, s.operations())).sum());
        w.field("bytes", o.sources().stream().mapToLong(s -> Math.max(0, s.bytes())).sum());
        w.field("durationMillis", o.durationMillis());
        w.field("reproduce", o.reproduce());
        w.name("failOn").beginArray();
        for (ViolationKind k : ViolationKind.values()) {
            if (o.failOn().contains(k)) {
                w.value(k.name());
            }
        }
        w.endArray();
        counts(w.name("counts"), o.counts());
        w.name("devices").beginArray();
        for (SourceFindings s : o.sources()) {
            w.beginObject();
            w.field("label", s.label());
            w.field("describe", s.describe());
            w.field("backend", s.backend());
            w.field("preset", s.preset());
            w.field("seed", Settings.hex(s.seed()));
            w.field("operations", s.operations());
            w.field("bytes", s.bytes());
            counts(w.name("counts"), s.counts());
            if (s.faults() != null) {
                faults(w, s.faults());
            }
            w.endObject();
        }
        w.endArray();
        w.name("violations").beginArray();
        List<Violation> all = o.violations();
        for (Violation v : all.subList(0, Math.min(all.size(), MAX_VIOLATIONS))) {
            violation(w, v, o);
        }
        w.endArray();
        return w.endObject().toString() + "\n";
    }

    /** Writes one violation object, as every Staleguard report does. */
    public static void violation(JsonWriter w, Violation v) {
        violation(w, v, null);
    }

    /**
     * Writes one violation object; a crash violation of {@code o} also gets its own {@code reproduce} line (when it
     * differs from the test's) and a {@code crash} object with its state and model.
     */
    static void violation(JsonWriter w, Violation v, TestOutcome o) {
        w.beginObject();
        w.field("kind", v.kind().name());
        w.field("offset", v.offset());
        w.field("length", v.length());
        w.field("lba", v.lba());
        FileLocation at = v.location();
        if (at != null) {
            // Only on a file: a raw-device violation has no location, and older readers never see the member.
            w.name("location").beginObject();
            w.field("path", at.path());
            w.field("offset", at.offset());
            w.endObject();
        }
        w.field("expected", v.expected());
        w.field("actual", v.actual());
        w.field("firstDiffOffset", v.firstDiffOffset());
        w.field("thread", v.thread());
        w.field("detail", v.detail());
        w.name("submitStack").beginArray();
        v.submitStack().forEach(w::value);
        w.endArray();
        w.name("timeline").beginArray();
        for (TimelineEvent e : v.timeline()) {
            w.beginObject();
            w.field("time", e.time());
            w.field("thread", e.thread());
            w.field("type", e.type().name());
            w.field("offset", e.offset());
            w.field("length", e.length());
            w.field("writeId", e.writeId());
            w.field("note", e.note());
            w.endObject();
        }
        w.endArray();
        OptionalInt state = o == null ? OptionalInt.empty() : o.crash().stateOf(v);
        if (state.isPresent()) {
            // Optional members after the timeline: readers of staleguard-test-report/1 ignore unknown fields.
            String own = Reproduce.withCrashState(o.reproduce(), state.getAsInt());
            if (!own.equals(o.reproduce())) {
                w.field("reproduce", own);
            }
            w.name("crash").beginObject();
            w.field("state", state.getAsInt());
            w.field("model", o.crash().model().name());
            o.crash().explanationOf(v).ifPresent(e -> explanation(w, e));
            w.endObject();
        }
        w.endObject();
    }

    /** The members a state's explanation adds to a {@code crash} object (format 1.1). */
    private static void explanation(JsonWriter w, CrashExplanation e) {
        CrashPointInfo p = e.point();
        w.name("point").beginObject();
        w.field("index", p.index());
        w.field("position", p.position());
        w.field("time", p.time());
        w.field("placement", p.placement().name());
        w.field("operation", p.operation());
        w.field("text", p.text());
        w.endObject();
        w.name("counts").beginObject();
        w.field("kept", e.keptCount());
        w.field("dropped", e.droppedCount());
        w.field("torn", e.torn().size());
        w.endObject();
        operations(w.name("kept"), e.kept());
        operations(w.name("dropped"), e.dropped());
        operations(w.name("torn"), e.torn());
        w.name("missing").beginArray();
        for (MissingPersistence m : e.missing()) {
            w.beginObject();
            w.field("missing", m.missing().name());
            w.field("path", m.path());
            w.field("lostPath", m.lostPath());
            w.field("lostAt", m.lostAt());
            w.field("text", m.text());
            w.endObject();
        }
        w.endArray();
    }

    private static void operations(JsonWriter w, List<VolatileOperation> ops) {
        w.beginArray();
        for (VolatileOperation op : ops.subList(0, Math.min(ops.size(), MAX_CRASH_OPERATIONS))) {
            w.beginObject();
            w.field("fate", op.fate().name());
            w.field("op", op.op());
            w.field("path", op.path());
            if (!op.toPath().isEmpty()) {
                w.field("toPath", op.toPath());
            }
            w.field("offset", op.offset());
            w.field("length", op.length());
            w.field("keptLength", op.keptLength());
            w.field("time", op.time());
            w.field("text", op.text());
            w.endObject();
        }
        w.endArray();
    }

    /** A simulated device's {@code faults} member (format 1.2). */
    private static void faults(JsonWriter w, SourceFaults f) {
        w.name("faults").beginObject();
        w.field("spec", f.spec());
        w.field("fired", f.fired());
        w.name("first").beginArray();
        for (FiredFault x : f.first().subList(0, Math.min(f.first().size(), MAX_FAULTS))) {
            w.beginObject();
            w.field("id", x.fault().id());
            w.field("kind", x.fault().kind().name());
            w.field("origin", x.fault().origin());
            w.field("sequence", x.sequence());
            w.field("time", x.time());
            w.field("thread", x.thread());
            w.field("offset", x.offset());
            w.field("length", x.length());
            w.field("note", x.note());
            w.endObject();
        }
        w.endArray();
        w.endObject();
    }

    private static void counts(JsonWriter w, Map<ViolationKind, Long> counts) {
        w.beginObject();
        for (ViolationKind k : ViolationKind.values()) {
            long n = counts.getOrDefault(k, 0L);
            if (n > 0) {
                w.field(k.name(), n);
            }
        }
        w.endObject();
    }
}
