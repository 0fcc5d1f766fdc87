package io.staleguard.device.sim;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.ShortTransferTracker;
import io.staleguard.device.oracle.ViolationRecorder;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apiguardian.api.API;

/**
 * What an {@link IoPath} reaches of its device: the verified transfer to the media, the raw and
 * verified media reads, writeback, and the detectors it reports to. One port per device.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface MediaPort {

    /**
     * The transfer straight to or from the media that the device would have done: the write
     * landed and verified, the read verified, classified by the oracle and copied to the caller.
     */
    void transferToMedia(PathOperation op) throws IOException;

    /**
     * Stores whole blocks with fresh protection information carrying the device's application tag
     * (a page cache's writeback). The path has verified the data against the tuples it computed
     * at its own submission; the history oracle is not told (the path told it when the bytes
     * became visible).
     */
    void writeBack(long offset, byte[] blocks) throws IOException;

    /** Reads media bytes past every detector. */
    void readRaw(long offset, ByteBuffer dst);

    /**
     * Reads whole blocks as the block layer would, verifying their protection information and
     * recording each mismatch naming {@code who} (a page-cache fill, a DAX load). The oracle is
     * not told: the path tells it what it serves.
     *
     * @throws IllegalArgumentException if the range is not whole blocks within the capacity
     */
    void readMediaVerified(long offset, byte[] dst, int off, int len, String who);

    /**
     * For paths that take a write's bytes themselves (a buffered write copied into the cache):
     * records a {@code GUARD_TAG} violation for every block that changed since submission, as a
     * write landing on the media is checked. {@code image} holds the aligned blocks the write
     * touches, the write's bytes at {@code image[head...]}; it is only read.
     */
    void checkTakenAgainstSubmission(PathOperation op, byte[] image, int head);

    /** The history oracle, or null if it was disabled. */
    HistoryOracle oracle();

    /** Where violations are recorded. */
    ViolationRecorder recorder();

    /** The short-transfer tracker, told of bytes a path lands itself. */
    ShortTransferTracker shortTransfers();

    /** Logical block size and protection interval. */
    int logicalBlockSize();

    /** Capacity in bytes. */
    long capacity();

    /** The device's seed, from which a path draws its own seeded decisions. */
    long seed();

    /** The device's protection-information format. */
    ProtectionFormat protection();

    /** The device's description, for messages. */
    String describe();
}
