package io.staleguard.benchmarks;

import io.staleguard.device.ViolationLog;
import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.NIOFSDirectory;
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
 * Apache Lucene, unmodified, indexing the same documents with {@code NIOFSDirectory} on the simulated filesystem
 * ({@code target=simulated}: {@link SimulatedFileSystem#on} a 64 MiB device with T10 DIF type 1 protection, the
 * oracle on and {@code KernelIoPath.of(KernelPreset.MODERN)}, the JUnit extension's default stack) and, the
 * reference of the same run, on a fresh directory of the host's temporary directory ({@code target=host}). A second
 * reference, {@code target=tmpfs}, is the same on {@code /dev/shm} (a memory filesystem, whose fsync costs no disk
 * flush): the host's figure is mostly the disk's fsync latency, the tmpfs figure is Lucene's own CPU cost. One
 * operation indexes {@value #DOCS} small documents in {@value #COMMITS} commits, merges to one segment, commits and
 * closes the writer: every commit fsyncs the new files and the directory on both targets. The fresh directory (and
 * device) is made and removed outside the timed operation. The {@code # cpu} lines give the JVM's CPU time per
 * operation (all threads: Lucene merges on its own threads, the simulated kernel writes back on the flusher's).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class LuceneIndexingBenchmark {

    static final int DOCS = 3000;
    static final int COMMITS = 4;
    private static final String[] WORDS = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"};

    @Param({"host", "tmpfs", "simulated"})
    public String target;

    private Document[] documents;
    private SimulatedDevice device;
    private SimulatedFileSystem fs;
    private Path dir;
    private final CpuPerOperation cpu = CpuPerOperation.process();

    @Setup(Level.Trial)
    public void documents() {
        if (!target.equals("host") && !target.equals("tmpfs") && !target.equals("simulated")) {
            throw new IllegalArgumentException("target must be host, tmpfs or simulated, was '" + target + "'");
        }
        documents = new Document[DOCS];
        for (int i = 0; i < DOCS; i++) {
            Document doc = new Document();
            doc.add(new StringField("id", Integer.toString(i), Field.Store.YES));
            doc.add(new TextField("body", WORDS[i % WORDS.length] + " document number " + i, Field.Store.YES));
            documents[i] = doc;
        }
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        cpu.start();
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        cpu.print(target);
    }

    @Setup(Level.Invocation)
    public void freshDirectory() throws IOException {
        if (target.equals("host")) {
            dir = Files.createTempDirectory("staleguard-lucene-bench-");
        } else if (target.equals("tmpfs")) {
            dir = Files.createTempDirectory(Path.of("/dev/shm"), "staleguard-lucene-bench-");
        } else {
            device = SimulatedDevice.builder().capacity(64L << 20).blockSize(4096)
                    .protection(ProtectionFormat.T10_DIF_TYPE1).oracle(true).seed(0x1CE)
                    .dmaDelay(Duration.ZERO, Duration.ZERO).ioPath(KernelIoPath.of(KernelPreset.MODERN)).build();
            fs = SimulatedFileSystem.on(device);
            dir = Files.createDirectories(fs.getPath("/index"));
        }
    }

    @Benchmark
    public long index() throws IOException {
        cpu.count();
        try (NIOFSDirectory d = new NIOFSDirectory(dir);
             IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new StandardAnalyzer())
                     .setMaxBufferedDocs(DOCS / COMMITS / 2))) {
            for (int i = 0; i < DOCS; i++) {
                w.addDocument(documents[i]);
                if ((i + 1) % (DOCS / COMMITS) == 0) {
                    w.commit();
                }
            }
            w.forceMerge(1);
            w.commit();
            return w.getDocStats().numDocs;
        }
    }

    @TearDown(Level.Invocation)
    public void removeDirectory() throws IOException {
        if (!target.equals("simulated")) {
            deleteTree(dir);
            return;
        }
        fs.close();
        ViolationLog log = device.finish();
        if (log.total() != 0) {
            throw new IllegalStateException("Lucene under MODERN caused violations: " + log.all());
        }
        device.close();
    }

    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
