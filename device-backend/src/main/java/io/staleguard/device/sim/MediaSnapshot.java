package io.staleguard.device.sim;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.integrity.PiStore;
import io.staleguard.device.sim.internal.ChunkedMedia;
import org.apiguardian.api.API;

/**
 * An immutable image of a {@link SimulatedDevice}'s media and protection information, taken by
 * {@link SimulatedDevice#freezeMedia()} in O(chunks) without copying data: the device copies a chunk
 * the first time it writes it afterwards. A power cycle makes it the media again, alone or under a
 * {@link BlockOverlay}, as often as needed. Opaque: it belongs to the device that froze it.
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class MediaSnapshot {

    private final SimulatedDevice device;
    private final ChunkedMedia.Frozen media;
    private final PiStore pi;

    MediaSnapshot(SimulatedDevice device, ChunkedMedia.Frozen media, PiStore pi) {
        this.device = device;
        this.media = media;
        this.pi = pi;
    }

    SimulatedDevice device() {
        return device;
    }

    ChunkedMedia.Frozen media() {
        return media;
    }

    PiStore pi() {
        return pi;
    }

    /** Copies the image's bytes at {@code offset} into {@code dst[off...]}; never-written bytes read as zeros. */
    public void read(long offset, byte[] dst, int off, int len) {
        if (offset < 0 || len < 0 || off < 0 || off > dst.length - len || offset > device.capacity() - len) {
            throw new IndexOutOfBoundsException("read [" + offset + ", +" + len + ") into an array of " + dst.length
                    + " at " + off + " is outside the snapshot of " + device.capacity() + " bytes");
        }
        media.read(offset, dst, off, len);
    }

    @Override
    public String toString() {
        return "MediaSnapshot[" + device.describe() + "]";
    }
}
