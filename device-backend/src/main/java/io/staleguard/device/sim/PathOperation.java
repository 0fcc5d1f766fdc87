package io.staleguard.device.sim;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.hooks.OpKind;
import io.staleguard.device.hooks.OperationInfo;
import java.util.List;
import org.apiguardian.api.API;

/**
 * One read or write as an {@link IoPath} sees it: what the caller asked, what the device decided
 * (the transfer length), and access to the caller's buffers. The device copies nothing for the
 * path; the path takes or fills the caller's bytes itself, at the moment it models.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface PathOperation {

    /** The device-wide operation number (also what seeded decisions of the path are drawn from). */
    long sequence();

    /** Read or write. */
    OpKind kind();

    /** Buffered or direct. */
    IoMode mode();

    /** The caller (channel) that issued it. */
    IoCaller caller();

    /** Name of the submitting thread. */
    String thread();

    /** First byte on the device. */
    long offset();

    /** Bytes this operation transfers. */
    int length();

    /** Bytes the caller asked for. */
    long requested();

    /** Whether the call was asynchronous. */
    boolean isAsync();

    /** A write's id in the history oracle (0 if none): for paths that land data themselves. */
    long writeId();

    /** A read's oracle token: for paths that serve data themselves. */
    long readToken();

    /**
     * Whether the write's bytes were captured at submission, so that a path taking them later
     * can have them checked with {@link MediaPort#checkTakenAgainstSubmission}; false when
     * submission and transfer are the same instant.
     */
    boolean capturedAtSubmission();

    /** Copies the first {@link #length()} bytes of the caller's buffer(s), as they are now, to {@code dst[off...]}. */
    void copyFromCaller(byte[] dst, int off);

    /** Copies {@link #length()} bytes from {@code src[off...]} into the caller's buffer(s). */
    void copyToCaller(byte[] src, int off);

    /**
     * Makes this read transfer only its first {@code bytes} bytes: a short read that did not reach
     * end of data (a kernel returning less than asked). Only at the DMA moment, before any byte was
     * copied or handed to the oracle.
     *
     * @throws IllegalStateException    if this is not a read
     * @throws IllegalArgumentException if {@code bytes} is not in {@code [1, length())}
     */
    void shortenRead(int bytes);

    /** The submitting stack trace as text, empty unless stack capture is on. */
    List<String> stackText();

    /** What interleaving hooks see. */
    OperationInfo info();
}
