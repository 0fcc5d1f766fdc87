package io.staleguard.device.realkernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.IoMode;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.file.FileDevice;
import io.staleguard.device.file.RealBlockDevice;
import io.staleguard.device.file.RingBufferWorkload;
import io.staleguard.device.loop.LoopTestSupport;
import io.staleguard.device.loop.LosetupSnapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * H1 and H2 on the real kernel, per configuration: expected clean on a modern kernel. The table
 * of operations and violations is printed and written to target/real-kernel/hazards-table.md
 * (docs/HAZARDS.md "Real kernel" is taken from it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealKernelChecksTest {

    static final long WRITES = Long.getLong("staleguard.realkernel.writes", 1000);
    static final long SEED = Long.getLong("staleguard.seed", 0x4B1L);
    static final int MIXING_ITERATIONS = Integer.getInteger("staleguard.realkernel.mixing", 1000);

    private final ConcurrentLinkedQueue<String> rows = new ConcurrentLinkedQueue<>();
    private Path workDir;
    private LosetupSnapshot snapshot;

    @BeforeAll
    void setUp() throws IOException {
        workDir = LoopTestSupport.newWorkDir("kernel");
        snapshot = LosetupSnapshot.take();
        System.err.println("RealKernelChecksTest seed=" + SEED + " writes=" + WRITES + " (reproduce: mvn -pl"
                + " device-backend test -Dtest=RealKernelChecksTest -Dstaleguard.seed=" + SEED + ")");
    }

    @AfterAll
    void tearDown() throws IOException {
        try {
            snapshot.assertUnchanged(workDir);
        } finally {
            LoopTestSupport.forceReleaseUnder(workDir);
            LoopTestSupport.deleteTree(workDir);
            writeTable();
        }
    }

    @ParameterizedTest(name = "H1 and H2 on {0}")
    @EnumSource(RealConfig.class)
    void directWriterWithTrailingBufferedReaderIsCleanOnAModernKernel(RealConfig config) throws Exception {
        config.require();
        for (boolean async : new boolean[] {false, true}) {
            try (RealBlockDevice dev = config.open(workDir, 1L << 20, SEED)) {
                RingBufferWorkload.Result r = (async ? RingBufferWorkload.h2(dev, WRITES, SEED)
                        : RingBufferWorkload.h1(dev, WRITES, SEED)).run();
                rows.add(row(config.label, r.scenario() + (async ? " (async, executor)" : " (sync)"), r.operations(),
                        r.violations(), r.selfCheckMismatches(), r.millis(), dev.describe()));
                assertThat(r.reads()).isEqualTo(WRITES);
                assertThat(r.selfCheckMismatches()).as("reader saw a block differ from the write it waited for, on %s",
                        dev.describe()).isZero();
                assertThat(r.violations()).as("violations on %s (seed %s)", dev.describe(), SEED).isEmpty();
            }
        }
    }

    @ParameterizedTest(name = "mmap stores racing O_DIRECT writes on {0}")
    @EnumSource(value = RealConfig.class, names = {"FILE_HOST_FS", "LOOP_RAW", "LOOP_EXT4"})
    void mmapStoresRacingDirectWritesAreReportedAsUnsupportedMixingOnly(RealConfig config) throws Exception {
        config.require();
        try (RealBlockDevice dev = config.open(workDir, 1L << 20, SEED)) {
            MmapMixingWorkload.Result r = new MmapMixingWorkload(dev, SEED, MIXING_ITERATIONS, true).run();
            rows.add(row(config.label, "mmap stores racing O_DIRECT (unsupported)", r.operations(),
                    r.violations(), 0, r.millis(), dev.describe()).replace(" | " + r.millis(), (r.mixingBreakdown()
                    .isEmpty() ? "" : ", as " + r.mixingBreakdown()) + (r.msyncError().isEmpty() ? ""
                    : "; msync: " + r.msyncError()) + " | " + r.millis()));
            assertThat(r.violations().keySet()).as("only unsupported-mixing may be reported there, on %s",
                    dev.describe()).isSubsetOf(ViolationKind.UNSUPPORTED_MIXING);
            assertThat(dev.violations().ofKind(ViolationKind.UNSUPPORTED_MIXING))
                    .allSatisfy(v -> assertThat(v.detail()).contains("documents as unsupported"));
        }
    }

    @ParameterizedTest(name = "mmap stores and O_DIRECT writes on separate ranges on {0}")
    @EnumSource(value = RealConfig.class, names = {"FILE_HOST_FS", "LOOP_EXT4"})
    void mmapStoresAndDirectWritesOnSeparateRangesAreClean(RealConfig config) throws Exception {
        config.require();
        try (RealBlockDevice dev = config.open(workDir, 1L << 20, SEED)) {
            MmapMixingWorkload.Result r = new MmapMixingWorkload(dev, SEED, MIXING_ITERATIONS, false).run();
            assertThat(r.violations()).as("coherent mmap use on %s", dev.describe()).isEmpty();
            assertThat(r.msyncError()).isEmpty();
            assertThat(r.mappedStores()).isPositive();
        }
    }

    @Test
    void theOracleOnTheRealKernelCatchesAnApplicationCacheServingStaleDataAndItsCorrectTwinIsClean(@TempDir Path dir)
            throws IOException {
        try (FileDevice dev = FileDevice.builder().path(dir.resolve("cache.img")).capacity(1 << 20).seed(SEED).build()) {
            int bs = dev.logicalBlockSize();
            long off = 5L * bs;
            ByteBuffer b = ByteBuffer.allocateDirect(2 * bs).alignedSlice(bs).limit(bs);
            RingBufferWorkload.fill(b, 1, SEED, bs);
            dev.write(b, off, IoMode.DIRECT);
            byte[] cached = new byte[bs];
            ByteBuffer r = ByteBuffer.wrap(cached);
            dev.read(r, off, IoMode.BUFFERED);
            b.clear().limit(bs);
            RingBufferWorkload.fill(b, 2, SEED, bs);
            dev.write(b, off, IoMode.DIRECT);

            // The buggy cache never drops its copy: serving it now is a stale read.
            assertThat(dev.checkServed(off, ByteBuffer.wrap(cached))).singleElement().satisfies(v -> {
                assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
                assertThat(v.offset()).isEqualTo(off);
                assertThat(v.lba()).isEqualTo(5);
            });
            // The correct twin re-reads after the write.
            byte[] fresh = new byte[bs];
            dev.read(ByteBuffer.wrap(fresh), off, IoMode.BUFFERED);
            assertThat(dev.checkServed(off, ByteBuffer.wrap(fresh))).isEmpty();
            assertThat(dev.violations().count(ViolationKind.STALE_READ)).isEqualTo(1);
        }
    }

    private static String row(String config, String scenario, long ops, Map<ViolationKind, Long> violations,
                              long selfCheck, long millis, String device) {
        String found = violations.isEmpty() ? "0" : violations.toString();
        return "| " + config + " | " + scenario + " | " + ops + " | " + found + (selfCheck > 0 ? " (+" + selfCheck
                + " self-check mismatches)" : "") + " | " + millis + " ms |";
    }

    private void writeTable() throws IOException {
        List<String> out = new ArrayList<>();
        out.add("Kernel " + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + "), seed " + SEED
                + ", " + WRITES + " ring writes per scenario");
        out.add("");
        out.add("| Configuration | Scenario | Operations | Violations found | Time |");
        out.add("|---|---|---|---|---|");
        rows.stream().sorted().forEach(out::add);
        Path file = Path.of("target", "real-kernel", "hazards-table.md");
        Files.createDirectories(file.getParent());
        Files.write(file, out);
        System.err.println(String.join("\n", out));
    }
}
