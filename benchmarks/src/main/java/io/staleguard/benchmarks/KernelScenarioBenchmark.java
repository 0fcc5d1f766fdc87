package io.staleguard.benchmarks;

import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.OperationLog;
import io.staleguard.device.oracle.ViolationRecorder;
import io.staleguard.device.sim.kernel.Hazard;
import io.staleguard.device.sim.kernel.KernelPreset;
import io.staleguard.device.sim.kernel.ScenarioResult;
import io.staleguard.device.sim.kernel.ScenarioRunner;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The simulated kernel stack on the deterministic scheduler.
 *
 * <ul>
 *   <li>{@link #timeToDetection}: wall time of one run of a hazard under its historical bug preset,
 *       from the start to the first violation (no shrinking), cycling through seeds 1..100: the mean
 *       time to detection.</li>
 *   <li>{@link #modernOps}: operations per second of a hazard's workload under MODERN (no violation
 *       ever), 100,000 operations per invocation.</li>
 *   <li>{@link #referenceOracleCycle}: the reference, measured in the same run: one history-oracle
 *       cycle on a 512-byte block (a write submitted, landed, completed, and a read classified), the
 *       detector work every model operation is built around.</li>
 * </ul>
 */
@State(Scope.Thread)
public class KernelScenarioBenchmark {

    static final int MODERN_OPS = 100_000;

    @Param({"H1", "H2", "H3", "H4", "H5"})
    public String hazard;

    private Hazard h;
    private long seed;
    private HistoryOracle oracle;
    private final ByteBuffer block = ByteBuffer.allocate(512);

    @Setup
    public void setUp() {
        h = Hazard.named(hazard);
        oracle = new HistoryOracle(512, 512L * 1024, new ViolationRecorder(), new OperationLog(256));
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long timeToDetection() {
        seed = seed % 100 + 1;
        ScenarioResult r = ScenarioRunner.run(h, h.defaultMode(), h.historicalBug().config(), seed, 1_000_000, false);
        if (!r.detected()) {
            throw new IllegalStateException(h + " not detected for seed " + seed);
        }
        return r.operations();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(MODERN_OPS)
    public long modernOps() {
        seed++;
        ScenarioResult r = ScenarioRunner.run(h, h.defaultMode(), KernelPreset.MODERN.config(), seed, MODERN_OPS, false);
        if (r.detected()) {
            throw new IllegalStateException("MODERN found a violation: " + r.violations());
        }
        return r.operations();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int referenceOracleCycle() {
        long off = (seed++ & 1023) * 512;
        block.putLong(0, seed);
        long id = oracle.writeSubmitted(off, 512, "w");
        oracle.writeLanded(id, off, block);
        oracle.writeCompleted(id);
        long t = oracle.readStarted(off, 512, "r");
        return oracle.readCompleted(t, off, block, "r").size();
    }
}
