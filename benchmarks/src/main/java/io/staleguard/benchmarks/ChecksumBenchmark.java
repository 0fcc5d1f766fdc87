package io.staleguard.benchmarks;

import io.staleguard.device.integrity.Crc16T10Dif;
import io.staleguard.device.integrity.Crc16T10Dif.Implementation;
import io.staleguard.device.integrity.Crc32c;
import io.staleguard.device.integrity.Crc64Nvme;
import io.staleguard.device.integrity.IpChecksum;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Guard checksums over one 4 KiB protection interval, heap and direct buffers.
 *
 * <p>One JMH "operation" is one byte ({@code @OperationsPerInvocation(4096)}), so the reported
 * {@code ops/us} is MB/s (divide by 1000 for GB/s). {@link #crc16ByteTable} is the reference: the
 * plain one-table-look-up-per-byte CRC-16/T10-DIF, measured in the same run so that the ratio
 * slicing/reference holds even on a busy machine.
 *
 * <p>The CRC-16 rows compare its implementations in one run: {@link #crc16Slicing16} (the pure-Java reference),
 * {@link #crc16Interleaved}, {@link #crc16IsaL} (ISA-L through FFM: run the jar on JDK 22 or later with
 * {@code -jvmArgsAppend --enable-native-access=ALL-UNNAMED}; elsewhere that row fails at once with the reason) and
 * {@link #crc16} (what {@code Crc16T10Dif.compute} chose in this JVM).
 *
 * <p>After each iteration a {@code # cpu} line gives the benchmark thread's CPU time per 4 KiB invocation
 * (GB/s per busy core = 4096 / ns), steadier than the score on a loaded machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(ChecksumBenchmark.SIZE)
public class ChecksumBenchmark {

    static final int SIZE = 4096;

    @Param({"heap", "direct"})
    public String buffer;

    private ByteBuffer data;
    private final CpuPerOperation cpu = CpuPerOperation.thread();

    @Setup
    public void setUp() {
        data = "direct".equals(buffer) ? ByteBuffer.allocateDirect(SIZE) : ByteBuffer.allocate(SIZE);
        byte[] random = new byte[SIZE];
        new SplittableRandom(42).nextBytes(random);
        data.put(random).clear();
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        cpu.start();
    }

    @TearDown(Level.Iteration)
    public void endIteration(BenchmarkParams params) {
        cpu.print(params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1) + " " + buffer
                + " per 4 KiB");
    }

    @Benchmark
    public int crc16Slicing16() {
        cpu.count();
        return Implementation.SLICING_BY_16.update(0, data, 0, SIZE);
    }

    @Benchmark
    public int crc16Interleaved() {
        cpu.count();
        return Implementation.INTERLEAVED.update(0, data, 0, SIZE);
    }

    @Benchmark
    public int crc16IsaL() {
        cpu.count();
        return Implementation.ISA_L.update(0, data, 0, SIZE);
    }

    @Benchmark
    public int crc16() {
        cpu.count();
        return Crc16T10Dif.compute(data, 0, SIZE);
    }

    @Benchmark
    public int crc16ByteTable() {
        cpu.count();
        return ByteTableCrc16.compute(data, 0, SIZE);
    }

    @Benchmark
    public int ipChecksum() {
        cpu.count();
        return IpChecksum.compute(data, 0, SIZE);
    }

    @Benchmark
    public long crc32c() {
        cpu.count();
        return Crc32c.compute(data, 0, SIZE);
    }

    @Benchmark
    public long crc64Nvme() {
        cpu.count();
        return Crc64Nvme.compute(data, 0, SIZE);
    }

    /** The reference: CRC-16/T10-DIF with one 256-entry table, one look-up per byte. */
    static final class ByteTableCrc16 {
        private static final int[] TABLE = new int[256];

        static {
            for (int b = 0; b < 256; b++) {
                int crc = b << 8;
                for (int bit = 0; bit < 8; bit++) {
                    crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x8BB7 : crc << 1;
                }
                TABLE[b] = crc & 0xFFFF;
            }
        }

        static int compute(ByteBuffer buf, int off, int len) {
            int crc = 0;
            if (buf.hasArray()) {
                byte[] a = buf.array();
                int base = buf.arrayOffset() + off;
                for (int i = base; i < base + len; i++) {
                    crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ a[i]) & 0xFF]) & 0xFFFF;
                }
            } else {
                for (int i = off; i < off + len; i++) {
                    crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ buf.get(i)) & 0xFF]) & 0xFFFF;
                }
            }
            return crc;
        }
    }
}
