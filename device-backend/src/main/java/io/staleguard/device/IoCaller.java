package io.staleguard.device;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;

/**
 * Who issues an I/O call, for short-transfer tracking.
 *
 * <p>Short transfers are tracked per caller: the pair of this object (typically one per open
 * channel) and the calling thread. A caller is also told whether a call is <em>positional</em>
 * (an explicit offset, as in {@code FileChannel.read(dst, position)}) or <em>relative</em> (at a
 * channel's own position). A stream copy that keeps reading relatively is never flagged, because
 * its next read continues where the short one stopped by construction.
 *
 * @param id         unique id of the caller (a channel, or {@link #DEVICE})
 * @param name       a readable name for reports ("FileChannel#3 on /wal/0001.log")
 * @param positional whether calls through this caller carry explicit offsets
 */
@API(status = STABLE, since = "0.1")
public record IoCaller(long id, String name, boolean positional) {

    private static final AtomicLong IDS = new AtomicLong(1);

    /** Direct calls on a device object, positional by nature. */
    public static final IoCaller DEVICE = new IoCaller(0, "device", true);

    /** A fresh caller identity (one per channel). */
    public static IoCaller newCaller(String name, boolean positional) {
        return new IoCaller(IDS.getAndIncrement(), name, positional);
    }

    /** The same caller, for relative (at-position) calls. */
    public IoCaller relative() {
        return positional ? new IoCaller(id, name, false) : this;
    }

    /** The same caller, for positional calls. */
    public IoCaller atPosition() {
        return positional ? this : new IoCaller(id, name, true);
    }
}
