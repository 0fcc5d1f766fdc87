package io.staleguard.device.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.ViolationLog;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.lucene.store.NIOFSDirectory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Apache Lucene, unmodified, on the simulated filesystem: {@code NIOFSDirectory} indexes, commits, merges to one
 * segment, reopens and searches, with every byte through the device and its kernel path, one page cache per file.
 * Lucene does buffered I/O only, so no preset may report anything: a violation here is a bug of the filesystem or of
 * the kernel model. Under {@code STABLE_PAGES_NONE_2011} that holds because, as on Linux, a file's pages are written
 * back when it is fsynced (Lucene syncs a file after it wrote it whole) or when they have been dirty for 30 s, and a
 * deleted file's pages leave with its blocks; the device-wide cache of before shared pages between a deleted file
 * and the next one on its blocks, and wrote back files still being appended to.
 */
class LuceneOnSimulatedFileSystemTest {

    static Stream<Arguments> paths() {
        List<Arguments> all = new ArrayList<>();
        for (KernelPreset p : KernelPreset.all()) {
            all.add(Arguments.of(p.name(), KernelIoPath.of(p)));
        }
        all.add(Arguments.of("DAX MODERN", KernelIoPath.dax(KernelPreset.MODERN.config())));
        all.add(Arguments.of("DAX " + KernelPreset.DAX_UNLOCKED_FAULT_2017.name(),
                KernelIoPath.dax(KernelPreset.DAX_UNLOCKED_FAULT_2017.config())));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void indexesMergesReopensAndSearchesWithNoViolation(String name, KernelIoPath path) throws Exception {
        try (SimulatedDevice device = SimulatedDevice.builder().capacity(64L << 20).seed(0x1CE).ioPath(path).build();
             SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Path dir = Files.createDirectories(fs.getPath("/index"));
            LuceneWorkload.index(dir);
            LuceneWorkload.Found found = LuceneWorkload.search(dir);
            assertThat(found.leaves()).isEqualTo(1);
            assertThat(found.docs()).isEqualTo(LuceneWorkload.DOCS);
            assertThat(found.charlies()).isEqualTo(LuceneWorkload.CHARLIES);
            assertThat(found.id2999()).isEqualTo(1);
            assertThat(found.body1234()).isEqualTo(LuceneWorkload.body(1234));
            ViolationLog log = device.finish();
            assertThat(log.all()).as(name).isEmpty();
            assertThat(log.total()).as(name).isZero();
            if (!path.isDax()) {
                assertThat(path.cachedPages()).as("pages of Lucene's files in their page caches").isPositive();
            }
        }
    }
}
