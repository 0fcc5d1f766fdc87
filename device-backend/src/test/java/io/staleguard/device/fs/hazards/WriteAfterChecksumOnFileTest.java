package io.staleguard.device.fs.hazards;

import static io.staleguard.device.fs.hazards.FileHazardRig.BS;
import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * H3 at file level ("[RFC] block integrity: Fix write after checksum calculation problem", Darrick J. Wong,
 * 2011-02-22): Darrick J. Wong's reproducer on a file. A writer {@code pwrite}s 1-64 byte blobs at seeded offsets
 * of an 8-page file through a plain {@link FileChannel} while the kernel path's flusher writes the dirty pages
 * back (dirty expiry zero, so at each 2 ms pass; protection information computed when writeback starts, verified
 * when the device takes the page 200 us later). Without stable pages a blob copied into a page under writeback fails the guard: a {@code GUARD_TAG} in
 * the file. With them ({@code MODERN}) {@code write()} waits on writeback and nothing is found. The window is the
 * flusher's natural one (no gate): the buggy run stops at its first violation or after {@link #WRITES} writes.
 */
class WriteAfterChecksumOnFileTest {

    private static final long SEED = 0x4311L;
    private static final int PAGES = 8;
    private static final int WRITES = 50_000;

    private static List<Violation> scribble(String method, KernelPreset preset, boolean expectGuardTag)
            throws Exception {
        // Each file has its page cache, whose pages the flusher takes once dirty for the expiry (30 s, as Linux's
        // dirty_expire_centisecs): at zero it takes the table at each pass, as Darrick J. Wong's long runs met it.
        try (FileHazardRig rig = FileHazardRig.open("WriteAfterChecksumOnFileTest#" + method, SEED, preset,
                KernelIoPath.of(preset).dirtyExpire(Duration.ZERO))) {
            Files.write(rig.fs.getPath("/journal"), new byte[2 * BS]);
            Path table = rig.fs.getPath("/table.dat");
            Files.write(table, new byte[PAGES * BS]);
            SplittableRandom rnd = new SplittableRandom(rig.seed);
            int writes = 0;
            try (FileChannel ch = FileChannel.open(table, StandardOpenOption.WRITE)) {
                while (writes < WRITES && rig.device.violations().total() == 0) {
                    byte[] blob = new byte[1 + rnd.nextInt(64)];
                    rnd.nextBytes(blob);
                    ByteBuffer b = ByteBuffer.wrap(blob);
                    long at = rnd.nextLong(PAGES * BS - blob.length);
                    while (b.hasRemaining()) {
                        ch.write(b, at + b.position());
                    }
                    writes++;
                }
                ch.force(true);
            }
            List<Violation> found = rig.device.finish().all();
            String context = rig.context(found) + " after " + writes + " writes";
            if (!expectGuardTag) {
                assertThat(found).as(context).isEmpty();
                return found;
            }
            assertThat(found).as(context).isNotEmpty().allSatisfy(v -> {
                assertThat(v.kind()).isEqualTo(ViolationKind.GUARD_TAG);
                assertThat(v.location()).isNotNull();
                assertThat(v.location().path()).isEqualTo("/table.dat");
                assertThat(v.location().offset() % BS).isZero();
                assertThat(v.location().offset()).isLessThan((long) PAGES * BS);
                assertThat(v.offset()).isEqualTo(rig.deviceOffset(table, v.location().offset()));
            });
            return found;
        }
    }

    @Test
    void blobsWrittenIntoPagesUnderWritebackWithoutStablePagesAreGuardTagsInTheFile() throws Exception {
        scribble("blobsWrittenIntoPagesUnderWritebackWithoutStablePagesAreGuardTagsInTheFile",
                KernelPreset.STABLE_PAGES_NONE_2011, true);
    }

    @Test
    void theSameBlobsWithStablePagesAreClean() throws Exception {
        scribble("theSameBlobsWithStablePagesAreClean", KernelPreset.MODERN, false);
    }
}
