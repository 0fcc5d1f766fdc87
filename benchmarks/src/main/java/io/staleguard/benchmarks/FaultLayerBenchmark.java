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
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the fault layer (issue #13) costs 4 KiB direct writes on the simulated device, PI and oracle on:
 * {@code off} (nothing armed: one volatile load per stage), {@code armedElsewhere} (a lost write armed on a
 * block the writes never touch: every write asks the injector) and {@code zeroRate} (a seeded rate of 0, which
 * arms nothing, so it costs what {@code off} costs). Informational; the figure that must hold is
 * {@link SimulatedDeviceBenchmark#directWrite4k} against a build without the layer.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class FaultLayerBenchmark {

    static final int BLOCK = 4096;
    static final long CAPACITY = 64L << 20;
    static final long REGION = 16L << 20;

    @Param({"off", "armedElsewhere", "zeroRate"})
    public String faults;

    SimulatedDevice device;
    ByteBuffer buffer;
    IoCaller caller;
    long next;

    @Setup(Level.Trial)
    public void create() {
        device = SimulatedDevice.builder().capacity(CAPACITY).blockSize(BLOCK)
                .protection(ProtectionFormat.T10_DIF_TYPE1).seed(42).dmaDelay(Duration.ZERO, Duration.ZERO)
                .faults(faults.equals("zeroRate") ? "lost-write=0" : "none").build();
        if (faults.equals("armedElsewhere")) {
            device.faults().loseWrite(CAPACITY - BLOCK, BLOCK);
        }
        buffer = ByteBuffer.allocateDirect(2 * BLOCK).alignedSlice(BLOCK).limit(BLOCK);
        byte[] random = new byte[BLOCK];
        new SplittableRandom(7).nextBytes(random);
        buffer.put(random).clear();
        caller = IoCaller.newCaller("bench", true);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        if (device.violations().total() != 0 || !device.faults().fired().isEmpty()) {
            throw new IllegalStateException("the benchmark's correct program caused violations or faults: "
                    + device.violations().all() + " " + device.faults().fired());
        }
        device.close();
    }

    @Benchmark
    public int directWrite4k() throws IOException {
        long off = next;
        next = (next + BLOCK) % REGION;
        buffer.putLong(0, off ^ System.nanoTime());
        buffer.clear();
        return device.write(buffer, off, IoMode.DIRECT, caller);
    }
}
