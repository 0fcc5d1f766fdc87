package io.staleguard.device.fs.hazards;

import static io.staleguard.device.fs.hazards.FileHazardRig.BS;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.nio.file.ExtendedOpenOption;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.hooks.Gate;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.hooks.Stage;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A buffer reused before its asynchronous file write landed (the RATIS-2114 pattern) on the simulated filesystem
 * with the simulated kernel: a log appends two-block records with {@code AsynchronousFileChannel.write(buf, pos)}
 * and refills {@code buf} with the next record before the future completed. Protection information is computed
 * at submission, so the device (a direct write) or the page cache (a buffered one) takes bytes that do not match
 * it: a {@code GUARD_TAG} on the log file at the file offset of the block that changed. The twin waits for the
 * future first and is clean. An {@link OpMatcher#onFile} gate holds the record's write before it takes its data,
 * so the refill always falls in the window; the device's own DMA delay (up to 20 us) would rarely be met.
 */
class BufferReuseOnFileTest {

    private static final long SEED = 0xB0FL;
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The record under test: two blocks at file offset 3 blocks, of which the refill changes the second. */
    private static final long RECORD_AT = 3L * BS;

    /**
     * Runs the log; {@code waitBeforeReuse} picks the program, {@code expectGuardTag} what the run must find (apart,
     * so that either can be mutated alone).
     */
    private static List<Violation> append(String method, boolean direct, boolean waitBeforeReuse,
                                          boolean expectGuardTag) throws Exception {
        try (FileHazardRig rig = FileHazardRig.open("BufferReuseOnFileTest#" + method, SEED, KernelPreset.MODERN)) {
            Files.write(rig.fs.getPath("/manifest"), new byte[5 * BS]);   // so that file and device offsets differ
            Path log = Files.createDirectory(rig.fs.getPath("/raft")).resolve("log_inprogress_0");
            OpenOption[] opts = direct
                    ? new OpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT}
                    : new OpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.WRITE};
            try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(log, opts)) {
                ByteBuffer buf = rig.slot(2 * BS, 0);
                for (long at = 0; at < RECORD_AT; at += 2 * BS) {   // earlier records, each waited for
                    rig.fill(buf, at);
                    writeFully(ch, buf, at);
                }
                rig.fill(buf, RECORD_AT);
                Gate held = rig.device.hooks().pause(OpMatcher.writes().onFile(log).overlapping(RECORD_AT, 2 * BS)
                        .atStage(Stage.DMA));
                Future<Integer> record = ch.write(buf, RECORD_AT);
                held.awaitPaused(WAIT);
                if (waitBeforeReuse) {
                    held.release();
                    assertThat(record.get(10, TimeUnit.SECONDS)).as(rig.context()).isEqualTo(2 * BS);
                }
                buf.putLong(BS + 64, 0x5A5A5A5A5A5A5A5AL);   // the next record goes into the same buffer
                held.release();
                assertThat(record.get(10, TimeUnit.SECONDS)).as(rig.context()).isEqualTo(2 * BS);
                ch.force(true);
            }
            List<Violation> found = rig.device.finish().all();
            if (!expectGuardTag) {
                assertThat(found).as(rig.context(found)).isEmpty();
                return found;
            }
            assertThat(found).as(rig.context(found)).hasSize(1);
            Violation v = found.get(0);
            assertThat(v.kind()).as(rig.context(found)).isEqualTo(ViolationKind.GUARD_TAG);
            assertThat(v.location()).as(rig.context(found)).isNotNull();
            assertThat(v.location().path()).isEqualTo("/raft/log_inprogress_0");
            assertThat(v.location().offset()).as("the record's second block").isEqualTo(RECORD_AT + BS);
            assertThat(v.offset()).isEqualTo(rig.deviceOffset(log, RECORD_AT + BS));
            assertThat(v.lba()).isEqualTo(v.offset() / BS);
            return found;
        }
    }

    private static void writeFully(AsynchronousFileChannel ch, ByteBuffer buf, long at) throws Exception {
        while (buf.hasRemaining()) {
            ch.write(buf, at + buf.position()).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDirectRecordBufferRefilledBeforeItsWriteLandedIsAGuardTagAtTheChangedBlockOfTheLog() throws Exception {
        append("aDirectRecordBufferRefilledBeforeItsWriteLandedIsAGuardTagAtTheChangedBlockOfTheLog", true, false,
                true);
    }

    @Test
    void aDirectRecordBufferRefilledAfterItsWriteCompletedIsClean() throws Exception {
        append("aDirectRecordBufferRefilledAfterItsWriteCompletedIsClean", true, true, false);
    }

    @Test
    void aBufferedRecordBufferRefilledBeforeThePageCacheTookItIsAGuardTagAtTheChangedBlockOfTheLog()
            throws Exception {
        append("aBufferedRecordBufferRefilledBeforeThePageCacheTookItIsAGuardTagAtTheChangedBlockOfTheLog", false,
                false, true);
    }

    @Test
    void aBufferedRecordBufferRefilledAfterItsWriteCompletedIsClean() throws Exception {
        append("aBufferedRecordBufferRefilledAfterItsWriteCompletedIsClean", false, true, false);
    }
}
