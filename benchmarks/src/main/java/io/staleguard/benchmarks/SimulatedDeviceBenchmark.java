package io.staleguard.benchmarks;

import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The simulated device's hot path: 4 KiB direct writes with protection information generated at
 * submission and verified where the data lands, and the history oracle on ({@link #directWrite4k}).
 * Two references run in the same invocation: the same write on a device with PI and the oracle
 * off ({@link #directWrite4kNoPiNoOracle}), and a plain copy of the 4 KiB buffer into a
 * {@code byte[]} media ({@link #plainCopy4k}), so the figure is also a ratio.
 *
 * <p>Each thread writes its own 16 MiB region of a 64 MiB device, block by block, wrapping
 * around: every write supersedes an earlier version, as in a soak. Run with {@code -t 1} for the
 * per-core figure. Device creation is measured separately in {@link Creation}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SimulatedDeviceBenchmark {

    static final int BLOCK = 4096;
    static final long CAPACITY = 64L << 20;
    static final long REGION = 16L << 20;

    /** The two devices, shared by the benchmark threads. */
    @State(Scope.Benchmark)
    public static class Devices {
        SimulatedDevice verifying;
        SimulatedDevice plain;
        byte[] media;
        final AtomicInteger threads = new AtomicInteger();

        @Setup(Level.Trial)
        public void create() {
            verifying = SimulatedDevice.builder().capacity(CAPACITY).blockSize(BLOCK)
                    .protection(ProtectionFormat.T10_DIF_TYPE1).seed(42).dmaDelay(Duration.ZERO, Duration.ZERO)
                    .oracle(true).build();
            plain = SimulatedDevice.builder().capacity(CAPACITY).blockSize(BLOCK)
                    .protection(ProtectionFormat.NONE).seed(42).dmaDelay(Duration.ZERO, Duration.ZERO)
                    .oracle(false).build();
            media = new byte[(int) CAPACITY];
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            if (verifying.violations().total() != 0) {
                throw new IllegalStateException("the benchmark's correct program caused violations: "
                        + verifying.violations().all());
            }
            verifying.close();
            plain.close();
        }
    }

    /**
     * One writer: its buffer, its caller identity and its position in its region. It also
     * prints, per iteration, the benchmark thread's CPU time per operation: on a machine shared
     * with other work the wall-clock score drops with the load, the CPU time per operation much
     * less, so both are reported.
     */
    @State(Scope.Thread)
    public static class Writer {
        private static final java.lang.management.ThreadMXBean CPU =
                java.lang.management.ManagementFactory.getThreadMXBean();
        ByteBuffer buffer;
        IoCaller caller;
        long base;
        long next;
        long ops;
        long cpuStart;

        @Setup(Level.Iteration)
        public void startIteration() {
            ops = 0;
            cpuStart = CPU.getCurrentThreadCpuTime();
        }

        @TearDown(Level.Iteration)
        public void endIteration(BenchmarkParams params) {
            long cpu = CPU.getCurrentThreadCpuTime() - cpuStart;
            if (ops > 0) {
                String name = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
                System.out.printf(java.util.Locale.ROOT, "%n# cpu %s: %.0f ns/op = %.0f ops/s per busy core%n", name,
                        (double) cpu / ops, ops * 1e9 / cpu);
            }
        }

        @Setup(Level.Trial)
        public void create(Devices devices) {
            buffer = ByteBuffer.allocateDirect(2 * BLOCK).alignedSlice(BLOCK).limit(BLOCK);
            byte[] random = new byte[BLOCK];
            new SplittableRandom(7).nextBytes(random);
            buffer.put(random).clear();
            int index = devices.threads.getAndIncrement();
            base = (index % (CAPACITY / REGION)) * REGION;
            caller = IoCaller.newCaller("bench-" + index, true);
        }

        long advance() {
            ops++;
            long off = base + next;
            next = (next + BLOCK) % REGION;
            // Change the data a little so each write is a new version.
            buffer.putLong(0, off ^ System.nanoTime());
            buffer.clear();
            return off;
        }
    }

    @Benchmark
    public int directWrite4k(Devices devices, Writer w) throws IOException {
        return devices.verifying.write(w.buffer, w.advance(), IoMode.DIRECT, w.caller);
    }

    @Benchmark
    public int directWrite4kNoPiNoOracle(Devices devices, Writer w) throws IOException {
        return devices.plain.write(w.buffer, w.advance(), IoMode.DIRECT, w.caller);
    }

    @Benchmark
    public int plainCopy4k(Devices devices, Writer w) {
        long off = w.advance();
        w.buffer.get(0, devices.media, (int) off, BLOCK);
        return BLOCK;
    }

    /**
     * Creating a 64 MiB device (lazily allocated media and PI store), against allocating a
     * zeroed 64 MiB {@code byte[]} as an eager implementation would.
     */
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @State(Scope.Thread)
    public static class Creation {
        @Benchmark
        public SimulatedDevice create64MiB() throws IOException {
            SimulatedDevice d = SimulatedDevice.builder().capacity(CAPACITY).blockSize(BLOCK).seed(1).build();
            d.close();
            return d;
        }

        @Benchmark
        public byte[] allocate64MiBArray() {
            return new byte[(int) CAPACITY];
        }
    }
}
