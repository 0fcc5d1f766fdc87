package io.staleguard.device.sim;

import static org.apiguardian.api.API.Status.STABLE;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apiguardian.api.API;

/**
 * Test support: changes the media of a {@link SimulatedDevice} underneath it, as a faulty disk,
 * firmware or cable would, so the detectors can be shown to catch what real hardware does
 * wrong. None of these calls is seen by the history oracle.
 */
@API(status = STABLE, since = "0.1")
public final class MediaTamper {

    private final SimulatedDevice device;

    MediaTamper(SimulatedDevice device) {
        this.device = device;
    }

    /**
     * Overwrites whole blocks at {@code offset} and leaves their protection information alone: a
     * later read finds a guard mismatch ({@code GUARD_TAG}) and content no write produced.
     */
    public void corruptData(long offset, byte[] blocks) throws IOException {
        device.rawWrite(offset, blocks.clone(), false, 0);
    }

    /**
     * Overwrites whole blocks at {@code offset} with matching, freshly generated protection
     * information carrying {@code appTag}: with the device's own application tag this is
     * corruption PI cannot see (only the history oracle can); with another tag it is data of
     * another application ({@code APP_TAG} on read).
     */
    public void replaceBlocks(long offset, byte[] blocks, int appTag) throws IOException {
        device.rawWrite(offset, blocks.clone(), true, appTag);
    }

    /**
     * Makes the next write addressed at {@code addressedOffset} (block aligned) land at
     * {@code landingOffset} instead, with the protection information generated for its address: a
     * misdirected write. The reference tag catches it where it lands; the oracle sees the addressed
     * blocks keep their old content.
     */
    public void misdirectNextWrite(long addressedOffset, long landingOffset) {
        int bs = device.logicalBlockSize();
        if (addressedOffset % bs != 0 || landingOffset % bs != 0 || landingOffset < 0
                || landingOffset >= device.capacity()) {
            throw new IllegalArgumentException("misdirection " + addressedOffset + " -> " + landingOffset
                    + " must be between block-aligned offsets within the capacity " + device.capacity());
        }
        device.misdirect(addressedOffset, landingOffset);
    }

    /** The media bytes of {@code [offset, offset + length)}, read past every detector. */
    public byte[] readMedia(long offset, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        device.readRaw(offset, b);
        return b.array();
    }
}
