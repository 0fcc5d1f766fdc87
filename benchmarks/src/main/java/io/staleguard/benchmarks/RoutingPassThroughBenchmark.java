package io.staleguard.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
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
 * What the routing default provider costs ordinary host file operations, on paths outside every routed directory
 * (no route is installed). Each operation runs once in a JVM with the routing provider installed
 * ({@code routed*}: {@code -Djava.nio.file.spi.DefaultFileSystemProvider=...RoutingFileSystemProvider}, as
 * {@code staleguard:prepare} sets it) and once in a JVM without it ({@code plain*}, the reference); report the
 * ratio routed / plain per operation. The operations: {@code Files.newByteChannel} of an existing 4 KiB host file
 * plus one 512-byte read and the close ({@code openRead}); {@code Files.exists} of an existing file
 * ({@code exists}) and of a missing one ({@code existsMissing}); {@code Files.isDirectory} of the directory
 * ({@code isDirectory}); {@code Paths.get} of a directory's name, {@code resolve} of a file name and {@code toString}
 * ({@code resolve}: path arithmetic, no system call). On JDK 17 {@code Files.exists}, {@code isDirectory} and
 * {@code isRegularFile} take a fast path (no exception for a missing file) only for the platform's own provider.
 *
 * <p>The {@code # cpu} lines give the benchmark thread's CPU time per operation, steadier than the wall clock on a
 * shared machine. The flag is a string here, so this class compiles without the provider; a routed fork checks that the
 * provider really is installed and fails otherwise.
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

    private String resolve() {
        cpu.count();
        return Paths.get(dirName).resolve("data").toString();
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
    public String routedResolve() {
        return resolve();
    }

    @Benchmark
    @Fork(1)
    public String plainResolve() {
        return resolve();
    }
}
