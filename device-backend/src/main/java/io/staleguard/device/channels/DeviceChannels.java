package io.staleguard.device.channels;

import static org.apiguardian.api.API.Status.STABLE;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoCaller;
import io.staleguard.device.core.VerifyingDevice;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apiguardian.api.API;

/**
 * JDK channel views of a {@link BlockDevice}, so that storage code written against
 * {@link FileChannel} and {@link AsynchronousFileChannel} runs on a Staleguard device unchanged.
 *
 * <pre>{@code
 * FileChannel wal = DeviceChannels.open(device, StandardOpenOption.READ, StandardOpenOption.WRITE,
 *         ExtendedOpenOption.DIRECT);
 * }</pre>
 *
 * <ul>
 *   <li>{@code com.sun.nio.file.ExtendedOpenOption.DIRECT} selects {@link io.staleguard.device.IoMode#DIRECT}
 *       (offset, length and buffer address must then be block aligned, else {@link java.io.IOException});
 *       otherwise calls are {@link io.staleguard.device.IoMode#BUFFERED}.</li>
 *   <li>READ and WRITE as for files (neither means READ); SYNC/DSYNC force after every write;
 *       CREATE, CREATE_NEW, TRUNCATE_EXISTING, SPARSE are ignored (a device exists and has a fixed size);
 *       APPEND and DELETE_ON_CLOSE are rejected with {@link UnsupportedOperationException}.</li>
 *   <li>{@code size()} is the capacity; {@code truncate} below it throws {@link java.io.IOException};
 *       {@code force} flushes the device; on a simulated kernel path a failed writeback is reported to each
 *       open channel's next {@code force} once, as Linux reports it to each open file ({@code errseq_t});
 *       {@code map} throws {@link UnsupportedOperationException};
 *       locks are in-process range locks.</li>
 *   <li>Each channel is its own {@link IoCaller}, so short transfers are tracked per channel and
 *       thread; closing a channel tells the short-transfer tracker. Closing a channel does not
 *       close the device.</li>
 * </ul>
 */
@API(status = STABLE, since = "0.1")
public final class DeviceChannels {

    private static final AtomicInteger IDS = new AtomicInteger();

    private DeviceChannels() {
    }

    /** A {@link FileChannel} over {@code device}. */
    public static FileChannel open(BlockDevice device, OpenOption... options) {
        Objects.requireNonNull(device, "device");
        ChannelOptions o = ChannelOptions.parse(optionSet(options));
        IoCaller caller = IoCaller.newCaller("FileChannel#" + IDS.incrementAndGet() + " (" + o.mode() + ")", true);
        opened(device, caller);
        return new DeviceFileChannel(device, o, caller);
    }

    /** An {@link AsynchronousFileChannel} over {@code device}. */
    public static AsynchronousFileChannel openAsynchronous(BlockDevice device, OpenOption... options) {
        Objects.requireNonNull(device, "device");
        ChannelOptions o = ChannelOptions.parse(optionSet(options));
        IoCaller caller = IoCaller.newCaller("AsynchronousFileChannel#" + IDS.incrementAndGet() + " (" + o.mode() + ")",
                true);
        opened(device, caller);
        return new DeviceAsynchronousFileChannel(device, o, caller);
    }

    /** The device samples its writeback error for the new channel, as {@code open(2)} does. */
    private static void opened(BlockDevice device, IoCaller caller) {
        if (device instanceof VerifyingDevice v) {
            v.callerOpened(caller);
        }
    }

    private static Set<OpenOption> optionSet(OpenOption[] options) {
        Objects.requireNonNull(options, "options");
        Set<OpenOption> set = new java.util.LinkedHashSet<>();
        for (OpenOption o : options) {
            if (o == null) {
                throw new NullPointerException("an open option is null");
            }
            set.add(o);
        }
        return set;
    }

    /** The {@link IoCaller} identity of a channel returned by this class (for reports and tests). */
    public static IoCaller callerOf(java.nio.channels.Channel channel) {
        if (channel instanceof DeviceFileChannel f) {
            return f.caller();
        }
        if (channel instanceof DeviceAsynchronousFileChannel a) {
            return a.caller();
        }
        throw new IllegalArgumentException(channel + " is not a device channel opened by DeviceChannels");
    }
}
