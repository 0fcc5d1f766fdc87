package io.staleguard.junit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.nio.file.ExtendedOpenOption;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.junit.Device;
import io.staleguard.junit.IoConsistencyError;
import io.staleguard.junit.StaleguardTest;
import io.staleguard.junit.kit.Kit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Sample 11: a kernel preset under a {@code Path}. {@code @Device(kernel = ...) Path dir} puts the files of the
 * simulated filesystem on the simulated Linux I/O stack in that state, so storage code meets an old kernel's bug
 * through its own files.
 *
 * <p>The code is Karl Schendel's ring buffer ("[patch] aio: invalidate async directio writes", Jeff Moyer,
 * 2008-06-18): a writer overwrites the slots of a ring file with O_DIRECT, and a reader reads each slot with plain
 * buffered reads three slots behind it, so read-ahead caches the slots the writer is about to overwrite. The two
 * take turns in one thread here, so that a seed gives one run. Under {@code DIO_NO_INVALIDATE}, which drops no
 * cached page after a direct write, the reader gets a previous lap: a STALE_READ naming the ring file and the
 * slot's offset in it. The same code under {@code MODERN} passes.
 */
@StaleguardTest
class Sample11_RingBufferOnSimulatedPathTest {

    static final int SLOT = 4096;
    static final int SLOTS = 32;
    static final int LAG = 3;

    /** Fills the ring, then writes two more laps, reading each slot LAG slots behind the writer. */
    static void ring(Path dir) throws IOException {
        Path file = dir.resolve("ring.buf");
        ByteBuffer slot = ByteBuffer.allocateDirect(2 * SLOT).alignedSlice(SLOT).limit(SLOT);
        ByteBuffer got = ByteBuffer.allocate(SLOT);
        try (FileChannel writer = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT);
             FileChannel reader = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ)) {
            for (long v = 0; v < 3L * SLOTS; v++) {
                long at = (v % SLOTS) * SLOT;
                slot.clear();
                while (slot.hasRemaining()) {
                    slot.putLong(v * 0x9E3779B97F4A7C15L + slot.position());
                }
                slot.flip();
                while (slot.hasRemaining()) {
                    writer.write(slot, at + slot.position());   // a short write is legal: write the rest
                }
                long behind = v - LAG;
                if (behind >= SLOTS) {                          // the reader follows from the second lap
                    got.clear();
                    long from = (behind % SLOTS) * SLOT;
                    while (got.hasRemaining()) {
                        reader.read(got, from + got.position());
                    }
                }
            }
        }
    }

    @Test
    void theRingIsCleanOnAModernKernel(@Device(kernel = "MODERN") Path dir) throws IOException {
        ring(dir);
    }

    /** The buggy kernel, run through the JUnit testkit below: the build excludes the "staleguard-kit" tag. */
    @StaleguardTest
    @Tag("staleguard-kit")
    static class WithoutInvalidation {
        @Test
        void ring(@Device(kernel = "DIO_NO_INVALIDATE") Path dir) throws IOException {
            Sample11_RingBufferOnSimulatedPathTest.ring(dir);
        }
    }

    @Test
    void theSameRingWithoutInvalidationIsAStaleReadInTheRingFile(@TempDir Path reports) {
        EngineExecutionResults r = Kit.run(WithoutInvalidation.class, reports);
        IoConsistencyError error = assertInstanceOf(IoConsistencyError.class, Kit.failure(r, "ring"));
        assertEquals(java.util.Set.of(ViolationKind.STALE_READ), error.counts().keySet(), error::getMessage);
        assertFalse(error.violations().isEmpty());
        for (Violation v : error.violations()) {
            assertTrue(v.location() != null && v.location().path().endsWith("/ring.buf"), v::summary);
            assertEquals(0, v.location().offset() % SLOT, v::summary);
        }
        assertTrue(error.getMessage().contains("reproduce with"), error::getMessage);
    }
}
