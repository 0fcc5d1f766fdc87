package io.staleguard.benchmarks;

import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of H5 under real threads: the extent bookkeeping every write does on a {@code KernelIoPath}
 * under {@link KernelPreset#IOMAP_DIO_PARTIAL_2022} ({@link #directWrite4kPartialPreset}) against the
 * same write under {@link KernelPreset#MODERN}, which keeps no extents ({@link #directWrite4kModern},
 * the reference, same run). The devices are written block by block, so every block is its own extent;
 * the first pass over the 64 MiB allocates, later passes overwrite. {@link #asyncDirectRead16kPartialPreset}
 * is MariaDB's read (four single-block extents, cut to one) with its iomap walk, next to the whole read
 * under MODERN ({@link #asyncDirectRead16kModern}); the cut read copies a quarter of the bytes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PartialDirectReadBenchmark {

    static final int BLOCK = 4096;
    static final long CAPACITY = 64L << 20;

    /** Two kernel-path devices, one per preset. */
    @State(Scope.Benchmark)
    public static class Devices {
        SimulatedDevice modern;
        SimulatedDevice partial;

        @Setup(Level.Trial)
        public void create() throws IOException {
            modern = device(KernelPreset.MODERN);
            partial = device(KernelPreset.IOMAP_DIO_PARTIAL_2022);
        }

        static SimulatedDevice device(KernelPreset preset) throws IOException {
            SimulatedDevice d = SimulatedDevice.builder().capacity(CAPACITY).blockSize(BLOCK)
                    .protection(ProtectionFormat.T10_DIF_TYPE1).seed(42).dmaDelay(Duration.ZERO, Duration.ZERO)
                    .oracle(true).ioPath(KernelIoPath.of(preset)).build();
            // The read benchmarks' range: written block by block, four single-block extents per 16 KiB.
            ByteBuffer b = ByteBuffer.allocateDirect(2 * BLOCK).alignedSlice(BLOCK).limit(BLOCK);
            for (long off = 0; off < 1 << 20; off += BLOCK) {
                b.clear();
                d.write(b, off, IoMode.DIRECT);
            }
            return d;
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            modern.close();
            partial.close();
        }
    }

    /** One thread's buffers and positions. */
    @State(Scope.Thread)
    public static class Worker {
        ByteBuffer block;
        ByteBuffer read;
        IoCaller caller;
        long nextWrite;
        long nextRead;

        @Setup(Level.Trial)
        public void create() {
            block = ByteBuffer.allocateDirect(2 * BLOCK).alignedSlice(BLOCK).limit(BLOCK);
            read = ByteBuffer.allocateDirect(5 * BLOCK).alignedSlice(BLOCK).limit(4 * BLOCK);
            caller = IoCaller.newCaller("bench-relative", false);
        }

        long write() {
            long off = nextWrite;
            nextWrite = (nextWrite + BLOCK) % CAPACITY;
            block.putLong(0, off ^ System.nanoTime());
            block.clear();
            return off;
        }

        long read() {
            long off = nextRead;
            nextRead = (nextRead + 4 * BLOCK) % (1 << 20);
            read.clear();
            return off;
        }
    }

    @Benchmark
    public int directWrite4kModern(Devices d, Worker w) throws IOException {
        return d.modern.write(w.block, w.write(), IoMode.DIRECT, w.caller);
    }

    @Benchmark
    public int directWrite4kPartialPreset(Devices d, Worker w) throws IOException {
        return d.partial.write(w.block, w.write(), IoMode.DIRECT, w.caller);
    }

    @Benchmark
    public int asyncDirectRead16kModern(Devices d, Worker w) throws InterruptedException, ExecutionException {
        return d.modern.readAsync(w.read, w.read(), IoMode.DIRECT, w.caller).get();
    }

    @Benchmark
    public int asyncDirectRead16kPartialPreset(Devices d, Worker w) throws InterruptedException, ExecutionException {
        return d.partial.readAsync(w.read, w.read(), IoMode.DIRECT, w.caller).get();
    }
}
