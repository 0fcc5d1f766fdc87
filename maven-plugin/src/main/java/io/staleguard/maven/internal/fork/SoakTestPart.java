package io.staleguard.maven.internal.fork;

import io.staleguard.device.Seeds;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import io.staleguard.maven.internal.json.FileTrees;
import io.staleguard.maven.internal.json.ReportFileException;
import io.staleguard.maven.internal.json.ReportJson;
import io.staleguard.maven.internal.model.Counts;
import io.staleguard.maven.internal.model.ReportedViolation;
import io.staleguard.maven.internal.model.TestReport;
import io.staleguard.maven.internal.model.TestStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Part 2 of a soak: the project's tests tagged {@code staleguard-soak} ({@code @Soak}), run again
 * and again through the JUnit Platform Launcher, each round with a fresh master seed of this shard.
 * The extension's per-test reports of each round go to a scratch directory and are folded into
 * the summary.
 */
final class SoakTestPart implements SoakPart {

    /** The tag {@code @Soak} carries. */
    static final String TAG = "staleguard-soak";

    private static final Pattern REPRODUCE = Pattern.compile("reproduce with: (.+)");

    /** The extension's crash-state budget property. */
    static final String CRASH_STATES = "staleguard.crashStates";
    /** The extension's fault-spec property: it replaces {@code @Device(faults)} on every simulated device. */
    static final String FAULTS = "staleguard.faults";

    private Launcher launcher;
    private int crashStates;
    private String faults = "";
    private String backend = "";
    private Path testClasses;
    private Path reports;
    private int testCount;
    private final Set<String> classes = new java.util.TreeSet<>();

    @Override
    public boolean prepare(SoakContext ctx) {
        if (ctx.config.testClassesDirectory().isEmpty()) {
            return false;
        }
        testClasses = Path.of(ctx.config.testClassesDirectory());
        if (!Files.isDirectory(testClasses)) {
            ctx.out.println("[staleguard] no test classes at " + testClasses + ": no @Soak tests to repeat");
            return false;
        }
        reports = Path.of(ctx.config.workDirectory()).resolve("soak-tests");
        crashStates = ctx.config.crashStates();
        faults = ctx.config.faults();
        // A nightly on a real backend runs the @Soak tests there too (the extension's global override).
        backend = ctx.config.backend().toUpperCase(java.util.Locale.ROOT);
        launcher = LauncherFactory.create();
        TestPlan plan = launcher.discover(request(0));
        testCount = (int) plan.countTestIdentifiers(TestIdentifier::isTest);
        // Later rounds select these classes directly instead of scanning the whole test output again.
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier id : plan.getDescendants(root)) {
                if (id.isTest() && id.getSource().orElse(null) instanceof MethodSource ms) {
                    classes.add(ms.getClassName());
                }
            }
        }
        if (testCount == 0) {
            ctx.out.println("[staleguard] no tests tagged " + TAG + " (@Soak) in " + testClasses);
        }
        return testCount > 0;
    }

    @Override
    public String describe() {
        return testCount + " @Soak test" + (testCount == 1 ? "" : "s") + " repeated with fresh seeds";
    }

    @Override
    public String why() {
        return "the project's own code" + (backend.isEmpty() ? "" : ", on the " + backend.toLowerCase(
                java.util.Locale.ROOT) + " backend") + (faults.isEmpty() ? "" : ", with faults " + faults
                + " (staleguard.faults)");
    }

    @Override
    public void run(SoakContext ctx, long deadlineNanos) throws Exception {
        // At least one round, however short the budget.
        for (long j = 0; j == 0 ? !ctx.stop.get() : !ctx.over(deadlineNanos); j++) {
            long seed = ctx.seeds.seed("tests", j);
            runRound(ctx, seed);
        }
    }

    private void runRound(SoakContext ctx, long seed) throws IOException {
        FileTrees.deleteTree(reports);
        String seedText = Seeds.hex(seed);
        IOException[] failed = new IOException[1];
        launcher.execute(request(seed), new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                // Each test as it finishes, not the round at its end: progress lines and checkpoints move with it.
                if (id.isTest() && failed[0] == null) {
                    try {
                        account(ctx, id, result, seedText);
                    } catch (IOException e) {
                        // The launcher would only log a listener's exception; the round rethrows it.
                        failed[0] = e;
                    }
                }
            }
        });
        if (failed[0] != null) {
            throw failed[0];
        }
    }

    private void account(SoakContext ctx, TestIdentifier id, TestExecutionResult result, String seedText)
            throws IOException {
        String className = "";
        String methodName = id.getDisplayName();
        if (id.getSource().orElse(null) instanceof MethodSource ms) {
            className = ms.getClassName();
            methodName = ms.getMethodName();
        }
        boolean failed = result.getStatus() == TestExecutionResult.Status.FAILED;
        String failure = result.getThrowable().map(SoakTestPart::firstLine).orElse("");
        String reproduce = result.getThrowable().map(t -> {
            Matcher m = REPRODUCE.matcher(String.valueOf(t.getMessage()));
            return m.find() ? m.group(1).trim() : "";
        }).orElse("");
        if (reproduce.isEmpty() && failed) {
            reproduce = "mvn test -Dtest=" + simpleName(className) + "#" + methodName + " -Dstaleguard.seed="
                    + seedText;
        }
        TestReport report = readReport(ctx, className, methodName);
        long ops = report == null ? 0 : report.operations();
        long bytes = report == null ? 0 : report.bytes();
        Map<String, Long> counts = report == null ? Map.of() : report.counts();
        if (report != null && !report.reproduce().isEmpty()) {
            reproduce = report.reproduce();
        }
        String name = className + "#" + methodName;
        long faultsFired = report == null ? 0 : report.devices().stream()
                .filter(d -> d.faults() != null).mapToLong(d -> d.faults().fired()).sum();
        ctx.stats.addTest(new TestStats(className, methodName, 1, failed ? 1 : 0, ops, bytes, counts,
                failed ? reproduce : "", failed ? failure : "", faultsFired));
        if (report != null) {
            String testSeed = report.seed().isEmpty() ? seedText : report.seed();
            for (ReportedViolation v : report.violations()) {
                // A crash violation replays its own state: its line, not the test's, reproduces it.
                ctx.record("test", name, "", report.preset(), testSeed, v.reproduceOr(reproduce), v, v.timeline(),
                        List.of(), ops);
            }
        } else if (failed && Counts.total(counts) == 0 && !failure.isEmpty()) {
            ctx.out.println(ForkProtocol.WARN + name + " failed with seed " + seedText + ": " + failure);
        }
    }

    private TestReport readReport(SoakContext ctx, String className, String methodName) {
        Path file = reports.resolve(className).resolve(methodName + ".json");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return ReportJson.read(file, TestReport.class, TestReport.FORMAT);
        } catch (ReportFileException e) {
            ctx.out.println(ForkProtocol.WARN + "cannot read the extension's report: " + e.getMessage());
            return null;
        }
    }

    private LauncherDiscoveryRequest request(long seed) {
        LauncherDiscoveryRequestBuilder b = LauncherDiscoveryRequestBuilder.request()
                .filters(TagFilter.includeTags(TAG))
                .configurationParameter("staleguard.reportDir", reports.toString());
        if (classes.isEmpty()) {
            b.selectors(selectClasspathRoots(Set.of(testClasses)));
        } else {
            b.selectors(classes.stream().map(DiscoverySelectors::selectClass).toList());
        }
        if (!backend.isEmpty()) {
            b.configurationParameter("staleguard.backend", backend);
        }
        if (seed != 0) {
            b.configurationParameter("staleguard.seed", Seeds.hex(seed));
        }
        if (crashStates > 0) {
            // Each round's fresh seed draws other sampled crash states; the budget sets how many per test.
            b.configurationParameter(CRASH_STATES, Integer.toString(crashStates));
        }
        if (!faults.isEmpty()) {
            // The extension puts it on each test's reproduce line, so a failure replays the same faults.
            b.configurationParameter(FAULTS, faults);
        }
        return b.build();
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String firstLine(Throwable t) {
        String m = t.getClass().getSimpleName() + ": " + t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
