package io.staleguard.benchmarks;

import io.staleguard.device.fs.Route;
import io.staleguard.device.fs.RoutingFileSystemProvider;
import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the routing default provider costs ordinary host file operations, on paths outside every routed directory.
 * Each operation runs once in a JVM with the routing provider installed ({@code routed*}:
 * {@code -Djava.nio.file.spi.DefaultFileSystemProvider=...RoutingFileSystemProvider}, as {@code staleguard:prepare}
 * sets it) and once in a JVM without it ({@code plain*}, the reference); report the ratio routed / plain per
 * operation.
 *
 * <p>The figure the goal is about is {@code engineFile}: what a storage engine does per file it keeps outside the
 * routed directories, from a name to the data: {@code Paths.get} of the directory's name, {@code resolve} of the
 * file's, {@code Files.exists}, {@code FileChannel.open} for reading, one positional 4 KiB read, {@code size} and
 * the close. {@code routedEngineFileWithRoute} does the same with one route installed for another directory (to a
 * {@link SimulatedFileSystem}), so every call pays the route check on the path's text too.
 *
 * <p>The micro operations, one each: {@code Files.newByteChannel} of an existing 4 KiB host file plus one 512-byte
 * read and the close ({@code openRead}); {@code Files.exists} of an existing file ({@code exists}) and of a missing
 * one ({@code existsMissing}); {@code Files.isDirectory} of the directory ({@code isDirectory}) and
 * {@code Files.readAttributes(dir, BasicFileAttributes.class)}, which routed {@code isDirectory} falls back to
 * ({@code readAttributes}: what the provider itself adds); {@code Paths.get} of
 * a directory's name, {@code resolve} of a file name and {@code toString} ({@code resolve}: path arithmetic, no
 * system call). On JDK 17 {@code Files.exists}, {@code isDirectory} and {@code isRegularFile} take a fast path (no
 * exception for a missing file, no attributes object) only for the platform's own provider.
 *
 * <p>The {@code # cpu} lines give the benchmark thread's CPU time per operation, steadier than the wall clock on a
 * shared machine. The flag is a string here, so that a fork asks for the provider the way a user's build does; a
 * routed fork checks that the provider really is installed and fails otherwise.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class RoutingPassThroughBenchmark {

    /** The routing provider's class, installed by the JDK from the system property below. */
    static final String PROVIDER = "io.staleguard.device.fs.RoutingFileSystemProvider";
    static final String FLAG = "-Djava.nio.file.spi.DefaultFileSystemProvider=" + PROVIDER;

    private Path dir;
    private String dirName;
    private Path file;
    private Path missing;
    private ByteBuffer buf;
    private ByteBuffer page;
    private final CpuPerOperation cpu = CpuPerOperation.thread();

    @Setup(Level.Trial)
    public void create() throws IOException {
        String installed = FileSystems.getDefault().provider().getClass().getName();
        boolean wanted = PROVIDER.equals(System.getProperty("java.nio.file.spi.DefaultFileSystemProvider"));
        if (wanted != installed.equals(PROVIDER)) {
            throw new IllegalStateException("this fork " + (wanted ? "asked for" : "did not ask for") + " the routing "
                    + "provider, but the default provider is " + installed);
        }
        dir = Files.createTempDirectory("staleguard-routing-bench-");
        dirName = dir.toString();
        file = Files.write(dir.resolve("data"), new byte[4096]);
        missing = dir.resolve("missing");
        buf = ByteBuffer.allocate(512);
        page = ByteBuffer.allocate(4096);
    }

    /**
     * One route installed, for a directory this benchmark does not use, to a simulated filesystem: the state of a
     * test JVM while an injected {@code Path} is live.
     */
    @State(Scope.Thread)
    public static class OneRoute {

        private SimulatedDevice device;
        private SimulatedFileSystem sim;
        private Route route;

        @Setup(Level.Trial)
        public void install() throws IOException {
            RoutingFileSystemProvider provider = RoutingFileSystemProvider.installed().orElseThrow(
                    () -> new IllegalStateException("OneRoute needs the routing provider: " + FLAG));
            device = SimulatedDevice.builder().capacity(4L << 20).seed(0x52).build();
            sim = SimulatedFileSystem.on(device);
            route = provider.routeAbsentDirectory("bench", Files.createDirectory(sim.getPath("/bench")));
        }

        @TearDown(Level.Trial)
        public void remove() throws IOException {
            route.close();
            sim.close();
            device.close();
        }
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        cpu.start();
    }

    @TearDown(Level.Iteration)
    public void endIteration(org.openjdk.jmh.infra.BenchmarkParams params) {
        cpu.print(params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1));
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private long engineFile() throws IOException {
        cpu.count();
        Path f = Paths.get(dirName).resolve("data");
        if (!Files.exists(f)) {
            throw new IllegalStateException(f + " vanished");
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            page.clear();
            return ch.read(page, 0) + ch.size();
        }
    }

    private int openRead() throws IOException {
        cpu.count();
        try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ)) {
            buf.clear();
            return ch.read(buf);
        }
    }

    private boolean exists() {
        cpu.count();
        return Files.exists(file);
    }

    private boolean existsMissing() {
        cpu.count();
        return Files.exists(missing);
    }

    private boolean isDirectory() {
        cpu.count();
        return Files.isDirectory(dir);
    }

    private boolean readAttributes() throws IOException {
        cpu.count();
        return Files.readAttributes(dir, BasicFileAttributes.class).isDirectory();
    }

    private String resolve() {
        cpu.count();
        return Paths.get(dirName).resolve("data").toString();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = FLAG)
    public long routedEngineFile() throws IOException {
        return engineFile();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = FLAG)
    public long routedEngineFileWithRoute(OneRoute oneRoute) throws IOException {
        return engineFile();
    }

    @Benchmark
    @Fork(1)
    public long plainEngineFile() throws IOException {
        return engineFile();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = FLAG)
    public int routedOpenRead() throws IOException {
        return openRead();
    }

    @Benchmark
    @Fork(1)
    public int plainOpenRead() throws IOException {
        return openRead();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = FLAG)
    public boolean routedExists() {
        return exists();
    }

    @Benchmark
    @Fork(1)
    public boolean plainExists() {
        return exists();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = FLAG)
    public boolean routedExistsMissing() {
        return existsMissing();
    }

    @Benchmark
    @Fork(1)
    public boolean plainExistsMissing() {
        return existsMissing();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = FLAG)
    public boolean routedIsDirectory() {
        return isDirectory();
    }

    @Benchmark
    @Fork(1)
    public boolean plainIsDirectory() {
        return isDirectory();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = FLAG)
    public boolean routedReadAttributes() throws IOException {
        return readAttributes();
    }

    @Benchmark
    @Fork(1)
    public boolean plainReadAttributes() throws IOException {
        return readAttributes();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = FLAG)
    public String routedResolve() {
        return resolve();
    }

    @Benchmark
    @Fork(1)
    public String plainResolve() {
        return resolve();
    }
}
