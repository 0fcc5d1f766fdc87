package io.staleguard.benchmarks;

import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelConfig;
import io.staleguard.device.sim.kernel.KernelIoPath;
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
 * What the simulated kernel path costs a user's test: the JUnit extension's default device
 * ({@code MODERN}) runs buffered I/O through the page cache. One operation is a 4 KiB BUFFERED
 * write followed by a 4 KiB BUFFERED read of the block written 64 blocks earlier, sequentially over
 * a 16 MiB region (read-ahead and the flusher at work), with PI and the oracle on; {@code path}
 * says whether the device has the MODERN kernel path ({@code kernel}) or none ({@code none}, the
 * reference: the media directly). Run both in one invocation and report the ratio.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class KernelPathBenchmark {

    static final int BLOCK = 4096;
    static final long REGION = 16L << 20;

    @Param({"none", "kernel"})
    public String path;

    SimulatedDevice device;
    ByteBuffer out;
    ByteBuffer in;
    IoCaller caller;
    long next;

    @Setup(Level.Trial)
    public void create() {
        SimulatedDevice.Builder b = SimulatedDevice.builder().capacity(REGION).blockSize(BLOCK)
                .protection(ProtectionFormat.T10_DIF_TYPE1).seed(42).dmaDelay(Duration.ZERO, Duration.ZERO)
                .oracle(true);
        if (path.equals("kernel")) {
            b.ioPath(KernelIoPath.of(KernelConfig.modern()));
        } else if (!path.equals("none")) {
            throw new IllegalArgumentException("path must be none or kernel, was '" + path + "'");
        }
        device = b.build();
        byte[] random = new byte[BLOCK];
        new SplittableRandom(7).nextBytes(random);
        out = ByteBuffer.wrap(random);
        in = ByteBuffer.allocate(BLOCK);
        caller = IoCaller.newCaller("bench", true);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        device.flush();
        if (device.violations().total() != 0) {
            throw new IllegalStateException("the benchmark's correct program caused violations: "
                    + device.violations().all());
        }
        device.close();
    }

    @Benchmark
    public int bufferedWriteThenRead4k() throws IOException {
        long off = next;
        next = (next + BLOCK) % REGION;
        out.putLong(0, off ^ System.nanoTime());
        out.clear();
        int n = device.write(out, off, IoMode.BUFFERED, caller);
        in.clear();
        return n + device.read(in, (off - 64L * BLOCK + REGION) % REGION, IoMode.BUFFERED, caller);
    }
}
