package io.staleguard.device;

import static org.apiguardian.api.API.Status.STABLE;

import io.staleguard.device.integrity.ProtectionFormat;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apiguardian.api.API;

/**
 * A block device with end-to-end data protection and a history oracle watching every read.
 *
 * <p>Implementations: the simulated device ({@code io.staleguard.device.sim.SimulatedDevice}), a
 * regular file and a loop device. All share the same contract:
 * <ul>
 *   <li>Positional reads and writes of {@link ByteBuffer}s, synchronous and asynchronous, each
 *       with an {@link IoMode}. Like {@link java.nio.channels.FileChannel}, a call may transfer
 *       fewer bytes than asked; the return value says how many. Callers must loop.</li>
 *   <li>{@link IoMode#DIRECT} calls require the offset, the length and the buffer address to be
 *       multiples of {@link #logicalBlockSize()}; otherwise an {@link IOException} is thrown with
 *       a message in the style of the JDK's {@code ExtendedOpenOption.DIRECT} checks.</li>
 *   <li>Protection information is generated when a write is submitted, from the caller's buffer
 *       as it is then, and verified where the data lands. Mismatches, stale reads and unresolved
 *       short transfers are recorded in {@link #violations()}; they are not thrown.</li>
 *   <li>Bad arguments (negative or out-of-range offset, closed device) throw an exception naming
 *       the bad value.</li>
 * </ul>
 * Implementations are thread safe.
 */
@API(status = STABLE, since = "0.1")
public interface BlockDevice extends Closeable {

    /** The logical block size in bytes (512 or 4096); also the protection interval. */
    int logicalBlockSize();

    /** The capacity in bytes, a multiple of the logical block size. */
    long capacity();

    /** The protection-information format computed at submission and verified on landing. */
    ProtectionFormat protection();

    /**
     * Reads into {@code dst} from {@code offset}; returns the number of bytes read, which may be
     * fewer than {@code dst.remaining()}, or -1 if {@code offset} is at or past the capacity.
     * Advances {@code dst}'s position by the count.
     */
    int read(ByteBuffer dst, long offset, IoMode mode, IoCaller caller) throws IOException;

    /**
     * Writes {@code src}'s remaining bytes at {@code offset}; returns the number written, which
     * may be fewer than asked. Advances {@code src}'s position by the count.
     */
    int write(ByteBuffer src, long offset, IoMode mode, IoCaller caller) throws IOException;

    /** Scattering read into consecutive buffers starting at {@code offset}; may be short. */
    long read(ByteBuffer[] dsts, long offset, IoMode mode, IoCaller caller) throws IOException;

    /** Gathering write from consecutive buffers starting at {@code offset}; may be short. */
    long write(ByteBuffer[] srcs, long offset, IoMode mode, IoCaller caller) throws IOException;

    /**
     * Submits a read and returns at once. The buffer belongs to the device until the future
     * completes. Argument errors complete the future exceptionally.
     */
    CompletableFuture<Integer> readAsync(ByteBuffer dst, long offset, IoMode mode, IoCaller caller);

    /**
     * Submits a write and returns at once. Protection information is computed now, from the
     * buffer as it is now; the data is taken later. Changing the buffer before the future
     * completes is the bug class this detects ({@link ViolationKind#GUARD_TAG}).
     */
    CompletableFuture<Integer> writeAsync(ByteBuffer src, long offset, IoMode mode, IoCaller caller);

    /**
     * Makes every completed write durable (a cache flush); resolves or flags the short writes the
     * calling thread left pending (other threads may still be continuing theirs).
     */
    void flush() throws IOException;

    /**
     * Checks bytes that a reader received from above the device (for example from a user-level
     * page cache) as if they had just been read from the device: records and returns the
     * violations found ({@link ViolationKind#STALE_READ}, {@link ViolationKind#TORN_READ},
     * {@link ViolationKind#CORRUPT_READ}). This is how a cache poisoned by a racing read is caught.
     * Does not move {@code served}'s position.
     *
     * @throws UnsupportedOperationException if this device keeps no write history
     */
    default List<Violation> checkServed(long offset, ByteBuffer served) {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no write history to check served data against");
    }

    /** The violations recorded so far. */
    ViolationLog violations();

    /**
     * Called by test harnesses at the end of a test: flags outstanding short transfers of every
     * caller and returns the final log. The device stays open.
     */
    ViolationLog finish();

    /** A one-line description for reports and reproduce lines: backend, size, block size, seed. */
    String describe();

    /** Closes the device; later calls throw {@link java.nio.channels.ClosedChannelException}. */
    @Override
    void close() throws IOException;

    // Convenience overloads: the caller is the current thread on the device itself.

    /** {@link #read(ByteBuffer, long, IoMode, IoCaller)} as the current thread. */
    default int read(ByteBuffer dst, long offset, IoMode mode) throws IOException {
        return read(dst, offset, mode, IoCaller.DEVICE);
    }

    /** {@link #write(ByteBuffer, long, IoMode, IoCaller)} as the current thread. */
    default int write(ByteBuffer src, long offset, IoMode mode) throws IOException {
        return write(src, offset, mode, IoCaller.DEVICE);
    }

    /** {@link #readAsync(ByteBuffer, long, IoMode, IoCaller)} as the current thread. */
    default CompletableFuture<Integer> readAsync(ByteBuffer dst, long offset, IoMode mode) {
        return readAsync(dst, offset, mode, IoCaller.DEVICE);
    }

    /** {@link #writeAsync(ByteBuffer, long, IoMode, IoCaller)} as the current thread. */
    default CompletableFuture<Integer> writeAsync(ByteBuffer src, long offset, IoMode mode) {
        return writeAsync(src, offset, mode, IoCaller.DEVICE);
    }
}
