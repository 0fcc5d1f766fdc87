package io.staleguard.benchmarks;

import io.staleguard.device.integrity.PiStore;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.integrity.ProtectionInformation;
import io.staleguard.device.integrity.TagMismatch;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-write PI work of a 4 KiB direct write: generating the tuple at submission, verifying it
 * where the data lands, and storing/loading it in the {@link PiStore}; plus creating a store for
 * a 64 MiB device. Average time per operation in nanoseconds.
 *
 * <p>References in the same run: {@link #guardOnlyCrc16} (the bare CRC-16 of the interval, the
 * lower bound for generate and verify) and {@link #eagerTupleArray64MiB} (allocating every tuple
 * of a 64 MiB device up front, which the lazy store avoids).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ProtectionInformationBenchmark {

    private static final int INTERVAL = 4096;
    private static final long LBAS_64MIB_512 = 64L * 1024 * 1024 / 512;

    @Param({"T10_DIF_TYPE1", "DIX_IP_TYPE1", "NVME_CRC32C_TYPE1", "NVME_CRC64_TYPE1"})
    public String format;

    private ProtectionFormat f;
    private ByteBuffer data;
    private byte[] tuple;
    private byte[] scratch;
    private PiStore store;
    private long lba;

    @Setup
    public void setUp() {
        f = ProtectionFormat.named(format);
        data = ByteBuffer.allocateDirect(INTERVAL);
        byte[] random = new byte[INTERVAL];
        new SplittableRandom(7).nextBytes(random);
        data.put(random).clear();
        tuple = new byte[f.tupleSize()];
        scratch = new byte[f.tupleSize()];
        ProtectionInformation.generate(f, data, INTERVAL, 1234, 0, 0, tuple, 0);
        store = PiStore.forFormat(f, 1 << 16);
    }

    @Benchmark
    public byte[] generate() {
        ProtectionInformation.generate(f, data, INTERVAL, 1234, 0, 0, scratch, 0);
        return scratch;
    }

    @Benchmark
    public TagMismatch verify() {
        return ProtectionInformation.verify(f, data, INTERVAL, 1234, 0, tuple, 0, 0, 0xFFFF);
    }

    @Benchmark
    public long guardOnlyCrc16() {
        return ProtectionInformation.guard(ProtectionFormat.T10_DIF_TYPE1, data, 0, INTERVAL);
    }

    @Benchmark
    public int storePutGet() {
        long l = lba = (lba + 1) & 0xFFFF;
        store.put(l, tuple, 0, 1);
        return store.get(l, scratch, 0, 1);
    }

    @Benchmark
    public PiStore createStore64MiB() {
        return PiStore.forFormat(f, LBAS_64MIB_512);
    }

    @Benchmark
    public byte[] eagerTupleArray64MiB() {
        return new byte[(int) (LBAS_64MIB_512 * f.tupleSize())];
    }
}
