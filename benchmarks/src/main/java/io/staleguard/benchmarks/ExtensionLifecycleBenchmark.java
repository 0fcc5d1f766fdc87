package io.staleguard.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.staleguard.device.BlockDevice;
import io.staleguard.junit.Device;
import io.staleguard.junit.RewriterThreads;
import io.staleguard.junit.Rewriters;
import io.staleguard.junit.StaleguardTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The per-test cost of {@code @StaleguardTest}: one test class with one empty test, run through the JUnit
 * launcher, with a 64 MiB simulated device and 2 stamped rewriters injected ({@link #staleguardTest}), against
 * the same empty test without the extension ({@link #plainTest}, the reference of the same run). The difference
 * is the extension's setup plus teardown per test: device creation, injection, starting and joining the
 * rewriters, the verdict, the report file, closing the device.
 *
 * <p>After each iteration it prints two {@code # cpu} lines: the benchmark thread's CPU time per test (the test's
 * own thread: JUnit, the extension's lifecycle) and the whole JVM's (also the rewriters, the device's DMA workers and
 * flusher, the JIT and GC). On a loaded machine the wall time mostly waits for a core; these move far less.
 *
 * <p>The warm-up is long (10 × 3 s) because the JIT is: one test runs JUnit, the extension, a simulated device with
 * its kernel path and two rewriters, and C2 is still compiling that code after 15 s (the process's CPU per test is
 * then twice the test thread's). The {@code # cpu} lines of the warm-up iterations show the curve; the measured
 * iterations are the steady state a long suite runs in.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 5, time = 3)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ExtensionLifecycleBenchmark {

    /** The measured test: the work is all the extension's. */
    @StaleguardTest
    public static class WithDeviceAndRewriters {
        @Test
        void empty(@Device(size = "64MiB", name = "d") BlockDevice device,
                   @Rewriters(threads = 2, device = "d") RewriterThreads rewriters) {
        }
    }

    /** The reference: the same test without Staleguard. */
    public static class Plain {
        @Test
        void empty() {
        }
    }

    private final CpuPerOperation threadCpu = CpuPerOperation.thread();
    private final CpuPerOperation processCpu = CpuPerOperation.process();
    private Launcher launcher;
    private Path reports;
    private LauncherDiscoveryRequest staleguard;
    private LauncherDiscoveryRequest plain;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        launcher = LauncherFactory.create();
        reports = Files.createTempDirectory("staleguard-bench-reports");
        staleguard = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(WithDeviceAndRewriters.class))
                .configurationParameter("staleguard.seed", "0x5eed")
                .configurationParameter("staleguard.reportDir", reports.toString()).build();
        plain = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Plain.class)).build();
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        threadCpu.start();
        processCpu.start();
    }

    @TearDown(Level.Iteration)
    public void endIteration(BenchmarkParams params) {
        String what = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        threadCpu.print(what);
        processCpu.print(what);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(reports)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private long run(LauncherDiscoveryRequest request) {
        threadCpu.count();
        processCpu.count();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        if (listener.getSummary().getTestsSucceededCount() != 1) {
            throw new IllegalStateException("the benchmark test did not pass: " + listener.getSummary()
                    .getFailures());
        }
        return listener.getSummary().getTestsSucceededCount();
    }

    @Benchmark
    public long staleguardTest() {
        return run(staleguard);
    }

    @Benchmark
    public long plainTest() {
        return run(plain);
    }
}
