package io.staleguard.device.oracle;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Reads what is on the media right now, bypassing every cache and every detector. Implemented by a
 * backend and handed to the oracle so it can read back ranges (short-write resolution, initial
 * content of pre-existing files).
 *
 * <p>Called without any oracle lock held. Must not call back into the oracle.
 */
@FunctionalInterface
@API(status = EXPERIMENTAL, since = "0.1")
public interface MediaReader {

    /**
     * Fills {@code dst} from its position to its limit with the media bytes starting at
     * {@code offset}; advances the position to the limit. Bytes beyond the media's end read as
     * zeros.
     */
    void read(long offset, java.nio.ByteBuffer dst);
}
