package io.staleguard.benchmarks;

import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.fs.crash.CrashExplorer;
import io.staleguard.device.fs.crash.CrashOutcome;
import io.staleguard.device.fs.crash.CrashSettings;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Crash states explored per second (issue #12), recovery included: a write-ahead log of {@value #RECORDS} records
 * of {@value #PAYLOAD} bytes (length, CRC-32C, payload), forced every {@value #BATCH} records and acknowledged after
 * each force, on the simulated filesystem of a 64 MiB device with 4 KiB blocks, T10 DIF type 1, the MODERN kernel
 * path and the JUnit extension's DMA delays (10 to 100 µs). Its recovery opens the log, reads it in 4 KiB reads,
 * checks every record's CRC up to the first torn or short one, and checks that every acknowledged batch is there.
 *
 * <ul>
 *   <li>{@link #explore}: one invocation records the workload on a fresh filesystem and explores
 *       {@value #STATES} crash states (POSIX), each a power cycle onto the base media under the state's overlay,
 *       a namespace restore and the recovery; the score is states per second.</li>
 *   <li>{@link #hostCopyAndReplay}, the reference measured in the same run, is ALICE's way: the same
 *       {@value #STATES} states are prepared once as host directories; one invocation copies one state's files into
 *       a fresh directory under {@code java.io.tmpdir}, runs the same recovery on host channels and deletes the
 *       copy. CrashMonkey's per-state remount needs kernel modules and is not measured.</li>
 * </ul>
 *
 * {@code java -jar benchmarks/target/benchmarks.jar CrashStatesBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s -t 1}
 * (add {@code -prof gc} for the bytes allocated per state). Each iteration also prints the JVM's CPU time per state
 * ({@code # cpu} lines, {@code CpuPerOperation}), which moves far less with the machine's load than the score.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CrashStatesBenchmark {

    static final int RECORDS = 100;
    static final int PAYLOAD = 100;
    static final int BATCH = 10;
    static final int STATES = 200;
    static final long SEED = 0xC4A5_4B3EL;
    static final int HEADER = 8;

    /** A fresh simulated filesystem per invocation: {@code explore} runs once per explorer. */
    @State(Scope.Thread)
    public static class Simulated {
        SimulatedDevice device;
        SimulatedFileSystem fs;
        Path dir;

        @Setup(Level.Invocation)
        public void create() throws IOException {
            device = SimulatedDevice.builder().capacity(64L << 20).blockSize(4096)
                    .protection(ProtectionFormat.T10_DIF_TYPE1).seed(SEED)
                    .dmaDelay(Duration.ofNanos(10_000), Duration.ofNanos(100_000))
                    .ioPath(KernelIoPath.of(KernelPreset.MODERN)).build();
            fs = SimulatedFileSystem.on(device);
            dir = Files.createDirectory(fs.getPath("/bench"));
        }

        @TearDown(Level.Invocation)
        public void close() throws IOException {
            if (device.violations().total() != 0) {
                throw new IllegalStateException("the correct WAL caused violations: " + device.violations().all());
            }
            fs.close();
            device.close();
        }
    }

    /** The same states as host directories, prepared once; invocations replay them in turn. */
    @State(Scope.Thread)
    public static class Host {
        Path root;
        final List<Path> states = new ArrayList<>();
        final List<Set<String>> acknowledged = new ArrayList<>();
        int next;

        @Setup(Level.Trial)
        public void prepare() throws IOException {
            root = Files.createTempDirectory("staleguard-crash-states");
            Simulated sim = new Simulated();
            sim.create();
            try {
                CrashExplorer crash = CrashExplorer.start(sim.fs, CrashSettings.defaults(SEED).withBudget(STATES));
                workload(sim.dir, crash);
                CrashOutcome out = crash.explore(state -> {
                    Path copy = Files.createDirectory(root.resolve("state-" + state.index()));
                    try (Stream<Path> files = Files.list(sim.dir)) {
                        for (Path f : (Iterable<Path>) files::iterator) {
                            Files.write(copy.resolve(f.getFileName().toString()), Files.readAllBytes(f));
                        }
                    }
                    states.add(copy);
                    acknowledged.add(Set.copyOf(state.acknowledged()));
                });
                check(out);
            } finally {
                sim.close();
            }
        }

        @TearDown(Level.Trial)
        public void delete() throws IOException {
            deleteTree(root);
        }
    }

    /** The JVM's CPU time per state, printed after each iteration: wall-clock scores fall with the machine's load. */
    @State(Scope.Thread)
    public static class Cpu {
        final CpuPerOperation cpu = CpuPerOperation.process();

        @Setup(Level.Iteration)
        public void start() {
            cpu.start();
        }

        @TearDown(Level.Iteration)
        public void print(BenchmarkParams params) {
            cpu.print(params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1) + " per state");
        }
    }

    @Benchmark
    @OperationsPerInvocation(STATES)
    public int explore(Simulated sim, Cpu cpu) throws IOException {
        CrashExplorer crash = CrashExplorer.start(sim.fs, CrashSettings.defaults(SEED).withBudget(STATES));
        workload(sim.dir, crash);
        CrashOutcome out = crash.explore(state -> {
            recover(sim.dir, state.acknowledged());
            cpu.cpu.count();
        });
        check(out);
        return out.explored();
    }

    @Benchmark
    public int hostCopyAndReplay(Host host, Cpu cpu) throws IOException {
        cpu.cpu.count();
        int n = host.next;
        host.next = (n + 1) % host.states.size();
        Path fresh = Files.createTempDirectory(host.root, "replay");
        try (Stream<Path> files = Files.list(host.states.get(n))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, fresh.resolve(f.getFileName().toString()));
            }
        }
        int records = recover(fresh, host.acknowledged.get(n));
        deleteTree(fresh);
        return records;
    }

    private static void check(CrashOutcome out) {
        if (out.explored() != STATES || !out.violations().isEmpty()) {
            throw new IllegalStateException("expected " + STATES + " clean states, explored " + out.explored()
                    + " with violations " + out.violations() + " (seed 0x" + Long.toHexString(SEED) + ")");
        }
    }

    /** The WAL: appends, a force every {@value #BATCH} records, then the batch is acknowledged. */
    static void workload(Path dir, CrashExplorer crash) throws IOException {
        Path wal = dir.resolve("wal.log");
        CRC32C crc = new CRC32C();
        ByteBuffer record = ByteBuffer.allocate(HEADER + PAYLOAD);
        try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long pos = 0;
            for (int i = 1; i <= RECORDS; i++) {
                record.clear();
                byte[] payload = new byte[PAYLOAD];
                for (int k = 0; k < PAYLOAD; k++) {
                    payload[k] = (byte) (i * 31 + k);
                }
                crc.reset();
                crc.update(payload);
                record.putInt(PAYLOAD).putInt((int) crc.getValue()).put(payload).flip();
                while (record.hasRemaining()) {
                    pos += ch.write(record, pos);
                }
                if (i % BATCH == 0) {
                    ch.force(false);
                    if (i == BATCH) {
                        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                            d.force(true);                     // the log's directory entry
                        }
                    }
                    crash.acknowledge("batch-" + i / BATCH);
                }
            }
        }
    }

    /**
     * Reads the log in 4 KiB reads, checks each record's CRC up to the first torn or short one, and that every
     * acknowledged batch survived; returns the records found.
     */
    static int recover(Path dir, Set<String> acknowledged) throws IOException {
        Path wal = dir.resolve("wal.log");
        int records = 0;
        if (Files.exists(wal)) {
            ByteBuffer log;
            try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.READ)) {
                log = ByteBuffer.allocate((int) ch.size());
                ByteBuffer chunk = ByteBuffer.allocate(4096);
                while (log.hasRemaining()) {
                    chunk.clear().limit(Math.min(chunk.capacity(), log.remaining()));
                    if (ch.read(chunk, log.position()) <= 0) {
                        break;
                    }
                    log.put(chunk.flip());
                }
                log.flip();
            }
            CRC32C crc = new CRC32C();
            while (log.remaining() >= HEADER) {
                int len = log.getInt();
                int sum = log.getInt();
                if (len != PAYLOAD || log.remaining() < len) {
                    break;
                }
                crc.reset();
                crc.update(log.slice(log.position(), len));
                if ((int) crc.getValue() != sum) {
                    break;
                }
                log.position(log.position() + len);
                records++;
            }
        }
        Set<String> found = new HashSet<>();
        for (int b = 1; b <= records / BATCH; b++) {
            found.add("batch-" + b);
        }
        if (!found.containsAll(acknowledged)) {
            throw new AssertionError("acknowledged " + acknowledged + ", but the log holds " + records + " records");
        }
        return records;
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
