package io.staleguard.device.loop;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Whether a backend can run on this machine, and if not, exactly why ("not root (effective uid
 * 1000)", "no free loop device", "mkfs.xfs is not installed"). Callers decide whether that skips
 * or fails a test.
 *
 * @param available whether the backend can be used
 * @param reason    empty when available, otherwise the precise reason
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Availability(boolean available, String reason) {

    public Availability {
        reason = reason == null ? "" : reason;
    }

    /** The backend can be used. */
    public static Availability ok() {
        return new Availability(true, "");
    }

    /** The backend cannot be used, for this reason. */
    public static Availability unavailable(String reason) {
        return new Availability(false, reason);
    }

    @Override
    public String toString() {
        return available ? "available" : "unavailable: " + reason;
    }
}
