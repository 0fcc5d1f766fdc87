package io.staleguard.device.fs.hazards;

import static io.staleguard.device.fs.hazards.FileHazardRig.BS;

import com.sun.nio.file.ExtendedOpenOption;
import io.staleguard.device.hooks.Gate;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.hooks.Stage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Karl Schendel's ring buffer (H1/H2: "[patch] aio: invalidate async directio writes", Jeff Moyer, 2008-06-18) on a
 * file: a writer writes the slots of a ring file round and round with O_DIRECT ({@link FileChannel} or, for H2,
 * {@link AsynchronousFileChannel} opened with {@link ExtendedOpenOption#DIRECT}, waiting on each write); a reader
 * reads each slot with plain buffered {@link FileChannel} reads once the writer announced it, {@link #LAG} slots
 * behind the writer, so that its read-ahead runs over the slots the writer is about to overwrite.
 *
 * <p>The two threads take turns (the writer announces a slot, the reader reads the slot {@link #LAG} behind it), so
 * one seed gives one order of operations and one verdict. Two windows:
 * <ul>
 *   <li>{@link Window#BETWEEN_WRITES}: the reader reads only while no write is in flight. Pages read ahead before
 *       a write are then stale only if nothing invalidates at all ({@code DIO_NO_INVALIDATE}).</li>
 *   <li>{@link Window#WHILE_IN_FLIGHT}: the reader reads while the writer's next write is before its DMA: an
 *       {@link OpMatcher#onFile} gate holds that write at {@link Stage#DMA} for the read. This is the window of
 *       65b8291c and of the 2008 AIO completions; the device's natural DMA delay (up to 20 us) is too short for a
 *       turn-taking reader to meet it reliably, so the gate forces it.</li>
 * </ul>
 */
final class RingBufferOnFile {

    /** Slots of the ring, one block each. */
    static final int SLOTS = 32;
    /** How many slots the reader trails the writer by. */
    static final int LAG = 3;
    /** Laps the writer makes after the ring file was first filled. */
    static final int LAPS = 2;

    private static final Duration WAIT = Duration.ofSeconds(10);

    enum Window { BETWEEN_WRITES, WHILE_IN_FLIGHT }

    private final FileHazardRig rig;
    private final Path ring;
    private final boolean async;
    private final Window window;
    private final int lag;

    RingBufferOnFile(FileHazardRig rig, Path ring, boolean async, Window window) {
        this(rig, ring, async, window, LAG);
    }

    /** A ring whose reader trails the writer by {@code lag} slots (at least 1). */
    RingBufferOnFile(FileHazardRig rig, Path ring, boolean async, Window window, int lag) {
        this.rig = rig;
        this.ring = ring;
        this.async = async;
        this.window = window;
        this.lag = lag;
    }

    /** Fills the ring once, then runs {@link #LAPS} laps of writer and reader; returns the slots the reader read. */
    long run() throws Exception {
        try (FileChannel sync = FileChannel.open(ring, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
            for (int s = 0; s < SLOTS; s++) {
                writeFully(sync, rig.slot(BS, s), (long) s * BS);
            }
            sync.force(true);
        }
        long reads = 0;
        try (FileChannel direct = async ? null : FileChannel.open(ring, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT);
             AsynchronousFileChannel aio = async ? AsynchronousFileChannel.open(ring, StandardOpenOption.WRITE,
                     ExtendedOpenOption.DIRECT) : null;
             FileChannel reader = FileChannel.open(ring, StandardOpenOption.READ)) {
            ByteBuffer got = ByteBuffer.allocate(BS);
            long total = (long) LAPS * SLOTS;
            for (long v = SLOTS; v < SLOTS + total; v++) {
                long slot = v % SLOTS;
                ByteBuffer data = rig.slot(BS, v);
                Gate held = window == Window.WHILE_IN_FLIGHT
                        ? rig.device.hooks().pause(OpMatcher.writes().onFile(ring).overlapping(slot * BS, BS)
                                .atStage(Stage.DMA))
                        : null;
                CompletableFuture<Void> write = CompletableFuture.runAsync(() -> writeSlot(direct, aio, data,
                        slot * BS));
                if (held != null) {
                    held.awaitPaused(WAIT);
                    reads += readTrailing(reader, got, v);
                    held.release();
                }
                write.get(10, TimeUnit.SECONDS);   // the writer announces slot v
                if (held == null) {
                    reads += readTrailing(reader, got, v);
                }
            }
        }
        return reads;
    }

    /** The reader's turn after the writer announced (or is writing) version {@code v}: the slot LAG behind. */
    private long readTrailing(FileChannel reader, ByteBuffer got, long v) throws IOException {
        long behind = v - lag;
        if (behind < SLOTS) {
            return 0;   // the reader starts with the first lap
        }
        got.clear();
        long at = (behind % SLOTS) * BS;
        while (got.hasRemaining()) {
            int n = reader.read(got, at + got.position());
            if (n < 0) {
                throw new IOException("ring file ended at " + (at + got.position()));
            }
        }
        return 1;
    }

    private void writeSlot(FileChannel direct, AsynchronousFileChannel aio, ByteBuffer data, long at) {
        try {
            if (aio != null) {
                while (data.hasRemaining()) {
                    aio.write(data, at + data.position()).get(10, TimeUnit.SECONDS);   // moves data's position
                }
            } else {
                writeFully(direct, data, at);
            }
        } catch (IOException | InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("ring write at " + at + " failed", e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer data, long at) throws IOException {
        while (data.hasRemaining()) {
            ch.write(data, at + data.position());
        }
    }
}
