package io.staleguard.benchmarks;

import com.sun.nio.file.ExtendedOpenOption;
import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * What the simulated filesystem adds to a write: one operation is a synchronous 4 KiB positional write, block by
 * block over a 16 MiB region and wrapping around (every write supersedes an earlier version, as in a soak), on a
 * 64 MiB {@link SimulatedDevice} with 4 KiB blocks, T10 DIF type 1 protection, the oracle on, no DMA delay and
 * {@code KernelIoPath.of(KernelPreset.MODERN)}. {@code target=device} writes to the device itself at the region's
 * offsets ({@code BlockDevice.write(buf, offset, mode, caller)}), the reference; {@code target=file} writes through
 * {@code FileChannel.write(buf, position)} to a 16 MiB file of {@link SimulatedFileSystem#on} that device, written
 * once in the setup so that the benchmark overwrites allocated blocks as the device benchmark does. {@code mode}:
 * {@code DIRECT} (an aligned direct buffer; the file opened with {@code ExtendedOpenOption.DIRECT}) or
 * {@code BUFFERED} (through the page cache); {@code call}: the file written by positional or by relative calls.
 * Run both targets in one invocation and report the ratio file / device.
 *
 * <p>Besides the JMH score it prints per iteration the benchmark thread's CPU time per operation ({@code # cpu}
 * lines), steadier than the wall clock on a shared machine; it leaves out the flusher's and the DMA workers' threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class FileChannelWriteBenchmark {

    static final int BLOCK = 4096;
    static final long REGION = 16L << 20;

    @Param({"device", "file"})
    public String target;

    @Param({"DIRECT", "BUFFERED"})
    public String mode;

    /**
     * {@code positional}: {@code write(buf, position)}; {@code relative}: {@code position(at)} then
     * {@code write(buf)}, one thread on the channel (the position tracker's fast path). The device target ignores it.
     */
    @Param({"positional", "relative"})
    public String call;

    private SimulatedDevice device;
    private SimulatedFileSystem fs;
    private FileChannel channel;
    private IoMode ioMode;
    private IoCaller caller;
    private ByteBuffer buf;
    private long next;
    private boolean relative;
    private final CpuPerOperation cpu = CpuPerOperation.thread();

    @Setup(Level.Trial)
    public void create() throws IOException {
        ioMode = IoMode.valueOf(mode);
        relative = switch (call) {
            case "positional" -> false;
            case "relative" -> true;
            default -> throw new IllegalArgumentException("call must be positional or relative, was '" + call + "'");
        };
        device = SimulatedDevice.builder().capacity(64L << 20).blockSize(BLOCK)
                .protection(ProtectionFormat.T10_DIF_TYPE1).oracle(true).seed(42)
                .dmaDelay(Duration.ZERO, Duration.ZERO).ioPath(KernelIoPath.of(KernelPreset.MODERN)).build();
        buf = ByteBuffer.allocateDirect(2 * BLOCK).alignedSlice(BLOCK).limit(BLOCK);
        byte[] random = new byte[BLOCK];
        new SplittableRandom(7).nextBytes(random);
        buf.put(random).clear();
        switch (target) {
            case "device" -> caller = IoCaller.newCaller("bench", true);
            case "file" -> {
                fs = SimulatedFileSystem.on(device);
                Path file = fs.getPath("/bench.dat");
                OpenOption[] options = ioMode == IoMode.DIRECT
                        ? new OpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                                ExtendedOpenOption.DIRECT}
                        : new OpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.WRITE};
                channel = FileChannel.open(file, options);
                for (long at = 0; at < REGION; at += BLOCK) {
                    buf.clear();
                    while (buf.hasRemaining()) {
                        channel.write(buf, at + buf.position());
                    }
                }
                channel.force(true);
            }
            default -> throw new IllegalArgumentException("target must be device or file, was '" + target + "'");
        }
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        cpu.start();
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        cpu.print(target + " " + mode);
    }

    @Benchmark
    public int write4k() throws IOException {
        cpu.count();
        long at = next;
        next = (next + BLOCK) % REGION;
        buf.putLong(0, at ^ System.nanoTime());
        buf.clear();
        if (channel == null) {
            return device.write(buf, at, ioMode, caller);
        }
        if (relative) {
            return channel.position(at).write(buf);
        }
        return channel.write(buf, at);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            fs.close();
        }
        device.flush();
        if (device.finish().total() != 0) {
            throw new IllegalStateException("the benchmark's correct program caused violations: "
                    + device.violations().all());
        }
        device.close();
    }
}
