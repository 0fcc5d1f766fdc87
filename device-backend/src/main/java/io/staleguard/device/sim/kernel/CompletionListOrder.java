package io.staleguard.device.sim.kernel;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The order in which deferred direct-I/O completions are queued on the completion list that a kworker
 * drains.
 *
 * <p>Source: Zach Brown's review of "[patch] aio: invalidate async directio writes" (2008-06-19):
 * "we should probably use list_add_tail() here so that we don't reverse the order of IO completion
 * and end_io() callbacks."
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum CompletionListOrder {
    /** {@code list_add}: the newest completion is handled first (the 2008 patch as posted). */
    LIFO,
    /** {@code list_add_tail}: completions are handled in the order the I/O finished. */
    FIFO
}
