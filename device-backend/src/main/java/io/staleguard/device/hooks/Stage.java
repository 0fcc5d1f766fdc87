package io.staleguard.device.hooks;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The moments of a device operation at which an interleaving hook can hold it.
 *
 * <p>Every operation passes the stages in this order. For a synchronous call the calling thread
 * is held; for an asynchronous call the operation is parked (no thread is held) and resumes on
 * a device worker when its gate is released.
 */
@API(status = STABLE, since = "0.1")
public enum Stage {
    /**
     * The operation was validated and, for a write, its protection information was generated from
     * the caller's buffer; the data has not been taken yet. An asynchronous call has already
     * returned its future when it is held here.
     */
    SUBMIT,
    /**
     * The transfer ("DMA") is about to happen: a write is about to take the data from the caller's
     * buffer, a read is about to read the media and fill the caller's buffer.
     */
    DMA,
    /** The transfer happened; completion has not been signalled to the caller yet. */
    COMPLETE
}
