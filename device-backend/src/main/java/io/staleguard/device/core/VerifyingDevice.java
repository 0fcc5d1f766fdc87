package io.staleguard.device.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.FileLocator;
import io.staleguard.device.IoCaller;
import io.staleguard.device.hooks.DeviceHooks;
import io.staleguard.device.hooks.OperationInfo;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.OperationLog;
import io.staleguard.device.oracle.ShortTransferTracker;
import io.staleguard.device.oracle.ViolationRecorder;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apiguardian.api.API;

/**
 * A {@link BlockDevice} with the verifying front end every backend of this project shares
 * (simulated, file, loop): protection information generated at submission and verified where data
 * lands, the history oracle, the short-transfer tracker and the interleaving hooks. This is what
 * tests, channels and the JUnit extension program against when they need more than the plain
 * device: the detectors themselves and the counters.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface VerifyingDevice extends BlockDevice {

    /** The recorder behind {@link #violations()} (listeners, fail-fast, failing kinds). */
    ViolationRecorder recorder();

    /** The history oracle, or null if it was disabled. */
    HistoryOracle oracle();

    /** The short-transfer tracker. */
    ShortTransferTracker shortTransfers();

    /** The operation log (timeline ring). */
    OperationLog operationLog();

    /** The interleaving hooks of this device. */
    DeviceHooks hooks();

    /** The seed driving every random decision of this device. */
    long seed();

    /** Number of I/O calls submitted so far. */
    long operations();

    /** Bytes transferred so far. */
    long bytesTransferred();

    /** Whether {@link #close()} was called. */
    boolean isClosed();

    /**
     * A {@code force} of one caller's channel: flushes the media and checks the short writes this
     * thread left pending through that caller.
     */
    void force(IoCaller caller) throws IOException;

    /** Tells the short-transfer tracker that {@code caller} (a channel) was closed. */
    void callerClosed(IoCaller caller);

    /**
     * A channel of this device was opened as {@code caller}: a simulated kernel path samples the device's writeback
     * error for it, as {@code open(2)} does, so that its {@link #force} reports a later writeback failure once. The
     * default does nothing.
     */
    default void callerOpened(IoCaller caller) {
    }

    /**
     * Registers the map of a filesystem kept on this device from device offsets to its files, or null to remove
     * it: violations then carry the file and file offset ({@link io.staleguard.device.Violation#location()}, and
     * in their detail), and the operations hooks see name them ({@link OperationInfo#file()}), so that an
     * {@link io.staleguard.device.hooks.OpMatcher#onFile} matcher selects by file.
     */
    void locateFiles(FileLocator locator);

    /** Reads media bytes bypassing every detector (the tracker's and tests' view of the media). */
    void readRaw(long offset, ByteBuffer dst);
}
