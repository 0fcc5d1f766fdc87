package io.staleguard.benchmarks;

import io.staleguard.device.IoCaller;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.OperationLog;
import io.staleguard.device.oracle.ShortTransferTracker;
import io.staleguard.device.oracle.ViolationRecorder;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The history oracle's share of a 4 KiB direct write or read on a 64 MiB device, in nanoseconds
 * per operation: submit + land + complete for a write, start + classify for a read, both with the
 * operation log on or off; the short-transfer tracker's fast path; and creating the oracle for
 * 64 MiB.
 *
 * <p>References in the same run: {@link #referenceCrc32c4KiB} (one CRC-32C over the block, the
 * bare cost of any content fingerprint) and {@link #referenceCopy4KiB} (the copy every write and
 * read makes anyway).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HistoryOracleBenchmark {

    private static final int BLOCK = 4096;
    private static final long CAPACITY = 64L * 1024 * 1024;
    private static final int BLOCKS = (int) (CAPACITY / BLOCK);

    @Param({"true", "false"})
    public boolean log;

    /** Blocks the writes and reads cycle over: 16 stays in cache, 16384 is the whole 64 MiB device. */
    @Param({"16", "16384"})
    public int span;

    private HistoryOracle oracle;
    private ShortTransferTracker tracker;
    private IoCaller caller;
    private ByteBuffer data;
    private ByteBuffer other;
    private byte[] media;
    private byte[] scratch;
    private int next;
    private final ViolationRecorder sharedRecorder = new ViolationRecorder();
    private final OperationLog sharedLog = new OperationLog();

    @Setup
    public void setUp() {
        OperationLog ops = new OperationLog();
        ops.setEnabled(log);
        ViolationRecorder recorder = new ViolationRecorder();
        oracle = new HistoryOracle(BLOCK, CAPACITY, recorder, ops);
        tracker = new ShortTransferTracker(BLOCK, recorder, ops, (o, d) -> { });
        caller = IoCaller.newCaller("bench", true);
        data = ByteBuffer.allocateDirect(BLOCK);
        byte[] random = new byte[BLOCK];
        new SplittableRandom(7).nextBytes(random);
        data.put(random).clear();
        other = ByteBuffer.allocateDirect(BLOCK);
        random[0]++;
        other.put(random).clear();
        media = new byte[(int) CAPACITY];
        scratch = new byte[BLOCK];
        // every block holds the data, so reads classify against a real history
        for (int b = 0; b < BLOCKS; b++) {
            long id = oracle.writeSubmitted((long) b * BLOCK, BLOCK, "setup");
            oracle.writeLanded(id, (long) b * BLOCK, data);
            oracle.writeCompleted(id);
        }
    }

    private long nextOffset() {
        next = next + 1 == span ? 0 : next + 1;
        return (long) next * BLOCK;
    }

    @Benchmark
    public long write4KiB() {
        long offset = nextOffset();
        long id = oracle.writeSubmitted(offset, BLOCK, "writer");
        // consecutive versions of a block differ, as they do in real workloads
        oracle.writeLanded(id, offset, (id & 1) == 0 ? data : other);
        oracle.writeCompleted(id);
        return id;
    }

    /** A clean read of a block whose current version is {@code data}. */
    @Benchmark
    public List<?> read4KiB() {
        long offset = nextOffset();
        long token = oracle.readStarted(offset, BLOCK, "reader");
        return oracle.readCompleted(token, offset, data, "reader");
    }

    @Benchmark
    public int shortTransferFastPath() {
        tracker.beforeRead(caller, "reader", 0);
        tracker.afterRead(caller, "reader", 0, BLOCK, BLOCK, false);
        tracker.afterWrite(caller, "writer", 0, BLOCK, BLOCK, data);
        return tracker.pending();
    }

    @Benchmark
    public HistoryOracle create64MiB() {
        return new HistoryOracle(BLOCK, CAPACITY, sharedRecorder, sharedLog);
    }

    @Benchmark
    public long referenceCrc32c4KiB() {
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        return crc.getValue();
    }

    @Benchmark
    public byte[] referenceCopy4KiB() {
        int at = (int) (nextOffset() & (media.length - 1));
        data.get(0, scratch, 0, BLOCK);
        System.arraycopy(scratch, 0, media, at, BLOCK);
        return media;
    }
}
