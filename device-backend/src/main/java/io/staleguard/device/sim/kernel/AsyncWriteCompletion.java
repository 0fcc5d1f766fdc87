package io.staleguard.device.sim.kernel;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * How the completion of an asynchronous direct write is delivered, and when the page cache over its
 * range is invalidated relative to that delivery.
 *
 * <p>Sources: "[patch] aio: invalidate async directio writes" (Jeff Moyer, 2008-06-18, and its
 * review) and "fs: Fix page cache inconsistency when mixing buffered and AIO DIO" (Lukas Czerner,
 * 2017).
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum AsyncWriteCompletion {
    /**
     * The bio completes in interrupt context and {@code aio_complete} is called there; the page cache
     * is never invalidated after the data landed ({@code invalidate_inode_pages2} cannot run in
     * interrupt context). A read-ahead page populated while the write was in flight stays stale until
     * it is evicted.
     */
    IRQ_NO_INVALIDATE,
    /**
     * The completion is signalled from the interrupt, and the invalidation is deferred to a
     * workqueue: the interrupt handler queues the dio on a global completion list
     * ({@code list_add} or {@code list_add_tail}, see {@link CompletionListOrder}) and a kworker
     * later splices the list and invalidates each range in list order. A reader that reacts to the
     * completion before the kworker ran still sees the stale page: Peter Zijlstra's "this patch goes
     * from always wrong, to sometimes wrong".
     */
    WORKQUEUE_AFTER_SIGNAL,
    /**
     * When the inode has cached pages, the completion is deferred to process context and the range is
     * invalidated in {@code dio_complete} <em>before</em> the completion is signalled (Lukas
     * Czerner's 2017 fix: "Fix this by deferring completion of asynchronous direct writes to a process context in
     * the case that there are mapped pages to be found in the inode"). Otherwise it completes in
     * interrupt context.
     */
    PROCESS_CONTEXT_BEFORE_SIGNAL
}
