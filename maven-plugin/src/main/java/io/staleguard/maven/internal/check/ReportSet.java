package io.staleguard.maven.internal.check;

import io.staleguard.maven.internal.json.ReportFileException;
import io.staleguard.maven.internal.json.ReportJson;
import io.staleguard.maven.internal.model.SoakSummary;
import io.staleguard.maven.internal.model.TestReport;
import io.staleguard.maven.internal.model.ViolationFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Everything in a {@code target/staleguard/} directory: the extension's per-test reports, the
 * soak summary and the soak's violation files.
 *
 * @param directory   the directory read
 * @param tests       per-test reports, sorted by class and method
 * @param soak        the soak summary, if there is one
 */
public record ReportSet(Path directory, List<TestReport> tests, Optional<SoakSummary> soak) {

    /** The soak summary's file name. */
    public static final String SUMMARY = "soak-summary.json";
    /** The per-test reports' directory. */
    public static final String TESTS = "tests";
    /** The soak's violation files' directory. */
    public static final String VIOLATIONS = "violations";
    /** The report goal's main page. */
    public static final String INDEX = "index.html";
    /** The report goal's directory of violation pages. */
    public static final String HTML = "html";

    /** Reads {@code directory}; a missing directory gives an empty set. */
    public static ReportSet read(Path directory) throws ReportFileException {
        List<TestReport> tests = new ArrayList<>();
        Path testDir = directory.resolve(TESTS);
        if (Files.isDirectory(testDir)) {
            for (Path file : jsonFiles(testDir)) {
                TestReport t = ReportJson.read(file, TestReport.class, TestReport.FORMAT);
                KnownKinds.check(file, t.counts(), t.violations());
                tests.add(t);
            }
        }
        tests.sort(Comparator.comparing(TestReport::className).thenComparing(TestReport::methodName));
        Path summary = directory.resolve(SUMMARY);
        Optional<SoakSummary> soak = Optional.empty();
        if (Files.isRegularFile(summary)) {
            SoakSummary s = ReportJson.read(summary, SoakSummary.class, SoakSummary.FORMAT);
            KnownKinds.check(summary, s.counts(), s.violations().stream().map(e -> e.violation()).toList());
            soak = Optional.of(s);
        }
        return new ReportSet(directory, List.copyOf(tests), soak);
    }

    /** Reads one soak violation file named by a summary entry ({@code violations/<id>.json}). */
    public Optional<ViolationFile> violationFile(String relative) throws ReportFileException {
        if (relative == null || relative.isEmpty()) {
            return Optional.empty();
        }
        Path file = directory.resolve(relative);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(ReportJson.read(file, ViolationFile.class, ViolationFile.FORMAT));
    }

    /** Whether there is nothing at all to judge. */
    public boolean isEmpty() {
        return tests.isEmpty() && soak.isEmpty();
    }

    private static List<Path> jsonFiles(Path dir) throws ReportFileException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new ReportFileException(dir, "cannot be listed (" + e + ")");
        }
    }
}
