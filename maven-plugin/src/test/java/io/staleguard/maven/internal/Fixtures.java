package io.staleguard.maven.internal;

import io.staleguard.maven.internal.json.ReportJson;
import io.staleguard.maven.internal.model.ReportedEvent;
import io.staleguard.maven.internal.model.ReportedLocation;
import io.staleguard.maven.internal.model.ReportedViolation;
import io.staleguard.maven.internal.model.ScenarioStats;
import io.staleguard.maven.internal.model.SoakFaults;
import io.staleguard.maven.internal.model.SoakSummary;
import io.staleguard.maven.internal.model.TestStats;
import io.staleguard.maven.internal.model.ThroughputSample;
import io.staleguard.maven.internal.model.ViolationEntry;
import io.staleguard.maven.internal.model.ViolationFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Report files as the extension and the soak write them, for tests. */
public final class Fixtures {

    private Fixtures() {
    }

    /** A per-test report exactly as docs/REPORT-FORMAT.md shows it (written as text, not by this plugin). */
    public static Path testReport(Path dir, String className, String method, String kind, long count) throws IOException {
        return testReport(dir, className, method, kind, count, "");
    }

    /**
     * The same report, its violation on the file {@code path} at {@code fileOffset} (the optional {@code location}
     * member, as the extension writes it on a filesystem).
     */
    public static Path testReportOnFile(Path dir, String className, String method, String kind, String path,
                                        long fileOffset) throws IOException {
        return testReport(dir, className, method, kind, 1,
                "\"location\":{\"path\":\"" + path + "\",\"offset\":" + fileOffset + "},");
    }

    private static Path testReport(Path dir, String className, String method, String kind, long count,
                                   String location) throws IOException {
        String violations = count == 0 ? "" : """
                {"kind":"%s","offset":8192,"length":4096,"lba":2,%s"expected":"v7 (completed t=40 by writer-1)",
                 "actual":"v3","firstDiffOffset":8192,"thread":"reader-1","detail":"the page cache served v3",
                 "submitStack":[],"timeline":[
                  {"time":10,"thread":"writer-1","type":"WRITE_SUBMIT","offset":8192,"length":4096,"writeId":7,"note":""},
                  {"time":12,"thread":"reader-1","type":"READ_SUBMIT","offset":8192,"length":4096,"writeId":0,"note":""},
                  {"time":14,"thread":"kworker","type":"READAHEAD","offset":8192,"length":16384,"writeId":3,"note":"window 4 pages"},
                  {"time":30,"thread":"irq","type":"WRITE_LAND","offset":8192,"length":4096,"writeId":7,"note":""},
                  {"time":40,"thread":"writer-1","type":"WRITE_COMPLETE","offset":8192,"length":4096,"writeId":7,"note":""},
                  {"time":44,"thread":"kworker","type":"INVALIDATE","offset":8192,"length":4096,"writeId":0,"note":"too late"},
                  {"time":50,"thread":"reader-1","type":"READ_COMPLETE","offset":8192,"length":4096,"writeId":3,"note":""}]}
                """.formatted(kind, location);
        String json = """
                {"format":"staleguard-test-report/1","testId":"[engine:junit-jupiter]/[class:%1$s]/[method:%2$s()]",
                 "className":"%1$s","methodName":"%2$s","displayName":"%2$s()","status":"%3$s",
                 "seed":"0x00000000000000a1","masterSeed":"0x0000000000000001","backend":"SIMULATED","preset":"MODERN",
                 "operations":1200,"bytes":4915200,"durationMillis":35,
                 "reproduce":"mvn test -Dtest=%4$s#%2$s -Dstaleguard.seed=0x0000000000000001",
                 "failOn":["STALE_READ"],"counts":{%5$s},"devices":[],"violations":[%6$s]}
                """.formatted(className, method, count == 0 ? "PASSED" : "FAILED",
                className.substring(className.lastIndexOf('.') + 1),
                count == 0 ? "" : "\"" + kind + "\":" + count, violations);
        Path file = dir.resolve("tests").resolve(className).resolve(method + ".json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return file;
    }

    /** The reproduce line of {@link #crashTestReport}'s test, without a crash state. */
    public static final String CRASH_LINE = "mvn test -Dtest=SegmentTest#roll -Dstaleguard.seed=0x0000000000000001";

    /**
     * A per-test report of format 1.1 as the extension writes it for a crash test: one DURABILITY violation found in
     * crash state {@code state}, with its own reproduce line and the state's explanation, and one CRASH_RECOVERY in
     * state 8.
     */
    public static Path crashTestReport(Path dir, String className, String method, int state) throws IOException {
        String json = """
                {"format":"staleguard-test-report/1","formatVersion":"1.1",
                 "testId":"[engine:junit-jupiter]/[class:%1$s]/[method:%2$s()]",
                 "className":"%1$s","methodName":"%2$s","displayName":"%2$s()","status":"FAILED",
                 "seed":"0x00000000000000a1","masterSeed":"0x0000000000000001","backend":"SIMULATED","preset":"MODERN",
                 "operations":40,"bytes":4000,"durationMillis":35,
                 "reproduce":"%3$s -Dstaleguard.crashState=%4$d",
                 "failOn":["DURABILITY","CRASH_RECOVERY"],"counts":{"DURABILITY":1,"CRASH_RECOVERY":1},"devices":[],
                 "violations":[
                 {"kind":"DURABILITY","offset":0,"length":1000,"lba":0,
                  "location":{"path":"/test/wal/seg-2.log","offset":0},
                  "expected":"acknowledged at t=230 by main: /test/wal/seg-2.log [0, 1000), crc32c 0x5d11a2c0",
                  "actual":"crash state %4$d: no such file","firstDiffOffset":-1,"thread":"main",
                  "detail":"lost in 1 of 200 crash states; first: crash state %4$d (POSIX): power lost just after acknowledge(/test/wal/seg-2.log) at t=230",
                  "submitStack":[],"timeline":[
                   {"time":110,"thread":"main","type":"NOTE","offset":0,"length":0,"writeId":0,"note":"create /test/wal/seg-2.log dropped"},
                   {"time":120,"thread":"main","type":"WRITE_COMPLETE","offset":0,"length":100,"writeId":0,"note":"write /test/wal/seg-2.log durable"},
                   {"time":110,"thread":"main","type":"DROPPED","offset":0,"length":0,"writeId":0,"note":"dropped: create `/test/wal/seg-2.log` (t=110)"},
                   {"time":125,"thread":"main","type":"TORN","offset":0,"length":100,"writeId":0,"note":"torn: write /test/wal/seg-2.log, 1 unit(s) kept"},
                   {"time":220,"thread":"main","type":"FLUSH","offset":0,"length":0,"writeId":0,"note":"force(true) /test/wal/seg-2.log"},
                   {"time":230,"thread":"main","type":"ACK","offset":0,"length":0,"writeId":0,"note":"acknowledge /test/wal/seg-2.log"},
                   {"time":230,"thread":"power","type":"CRASH","offset":0,"length":0,"writeId":0,"note":"crash (state %4$d)"}],
                  "reproduce":"%3$s -Dstaleguard.crashState=%4$d",
                  "crash":{"state":%4$d,"model":"POSIX",
                   "point":{"index":5,"position":14,"time":230,"placement":"AFTER","operation":"acknowledge(/test/wal/seg-2.log)",
                            "text":"crash state %4$d (POSIX): power lost just after acknowledge(/test/wal/seg-2.log) at t=230"},
                   "counts":{"kept":0,"dropped":1,"torn":0},
                   "kept":[],
                   "dropped":[{"fate":"DROPPED","op":"create","path":"/test/wal/seg-2.log","offset":0,"length":0,"keptLength":0,
                               "time":110,"text":"dropped: create `/test/wal/seg-2.log` (t=110)"}],
                   "torn":[],
                   "missing":[{"missing":"DIRECTORY_FSYNC","path":"/test/wal/","lostPath":"/test/wal/seg-2.log","lostAt":110,
                               "text":"`/test/wal/seg-2.log` was created at t=110, and its data forced at t=220, but its directory `/test/wal/` was never fsynced after the create."}]}},
                 {"kind":"CRASH_RECOVERY","offset":0,"length":0,"lba":0,
                  "expected":"recovery succeeds on every reachable crash state","actual":"AssertionError: op-1 is missing",
                  "firstDiffOffset":-1,"thread":"main","detail":"recovery threw in 3 of 200 crash states; first: crash state 8 (POSIX)",
                  "submitStack":[],"timeline":[],
                  "reproduce":"%3$s -Dstaleguard.crashState=8",
                  "crash":{"state":8,"model":"POSIX"}}]}
                """.formatted(className, method, CRASH_LINE, state);
        Path file = dir.resolve("tests").resolve(className).resolve(method + ".json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return file;
    }

    /** The same violation on the file {@code path} at {@code fileOffset}. */
    public static ReportedViolation violationOnFile(String kind, String path, long fileOffset) {
        ReportedViolation v = violation(kind);
        return new ReportedViolation(v.kind(), v.offset(), v.length(), v.lba(), v.expected(), v.actual(),
                v.firstDiffOffset(), v.thread(), v.detail(), v.submitStack(), v.timeline(),
                new ReportedLocation(path, fileOffset));
    }

    /** A violation with a small timeline. */
    public static ReportedViolation violation(String kind) {
        return new ReportedViolation(kind, 4096, 4096, 1, "v5", "v2", 4096, "reader", "served an old page",
                List.of(), List.of(
                        new ReportedEvent(1, "writer", "WRITE_SUBMIT", 4096, 4096, 5, ""),
                        new ReportedEvent(2, "reader", "READ_SUBMIT", 4096, 4096, 0, ""),
                        new ReportedEvent(3, "reader", "READAHEAD", 4096, 8192, 2, ""),
                        new ReportedEvent(5, "writer", "WRITE_COMPLETE", 4096, 4096, 5, ""),
                        new ReportedEvent(6, "reader", "READ_COMPLETE", 4096, 4096, 2, ""),
                        new ReportedEvent(8, "kworker", "INVALIDATE", 4096, 4096, 0, "after completion")));
    }

    /** A soak summary (shard i/n) with one scenario row and, if {@code violations > 0}, one violation file. */
    public static SoakSummary soak(Path dir, String shard, long ops, long violations) throws IOException {
        List<ViolationEntry> entries = List.of();
        Map<String, Long> counts = violations == 0 ? Map.of() : Map.of("STALE_READ", violations);
        if (violations > 0) {
            ViolationEntry e = new ViolationEntry("v0001", "scenario", "H2 on AIO_DIO_IRQ_COMPLETION_2008", "H2",
                    "AIO_DIO_IRQ_COMPLETION_2008", "0x00000000000000b2",
                    "mvn staleguard:soak staleguard:check -Dstaleguard.kernel=AIO_DIO_IRQ_COMPLETION_2008 "
                            + "-Dstaleguard.replay=H2:0x00000000000000b2", "violations/v0001.json",
                    violation("STALE_READ").withoutTimeline());
            ReportJson.writeAtomically(dir.resolve(e.file()), new ViolationFile(ViolationFile.FORMAT, e,
                    violation("STALE_READ").timeline(), violation("STALE_READ").timeline().subList(0, 3), ops));
            entries = List.of(e);
        }
        SoakSummary s = new SoakSummary(SoakSummary.FORMAT, "COMPLETE", "", "2026-01-01T00:00:00Z", 4000, 4000, shard,
                "0x0000000000000001", List.of("MODERN", "AIO_DIO_IRQ_COMPLETION_2008"), "simulated", List.of(), ops,
                ops * 4096, counts,
                List.of(new ScenarioStats("H2", "AIO_DIO_IRQ_COMPLETION_2008", 10, ops, violations > 0 ? 1 : 0,
                        counts, violations > 0 ? 17 : 0, violations > 0 ? 17 : 0, "")),
                List.of(new TestStats("com.example.WalTest", "append", 3, 0, 30, 3000, Map.of(), "", "", 0)),
                List.of(), List.of(new ThroughputSample(0, 0, 0, 0), new ThroughputSample(2000, ops / 2, ops * 2048, 0),
                new ThroughputSample(4000, ops, ops * 4096, violations)), entries, SoakFaults.NONE);
        ReportJson.writeAtomically(dir.resolve("soak-summary.json"), s);
        return s;
    }
}
