package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.sim.kernel.AsyncWriteCompletion;
import io.staleguard.device.sim.kernel.CompletionListOrder;
import io.staleguard.device.sim.kernel.DirectWriteInvalidation;
import io.staleguard.device.sim.kernel.KernelConfig;
import java.util.Deque;

/**
 * When a direct write invalidates the page cache, read from a {@link KernelConfig}: the one reading
 * of {@link DirectWriteInvalidation}, {@link AsyncWriteCompletion} and {@link CompletionListOrder}
 * that both schedulers follow. Which invalidation runs is the kernel's policy; when exactly it runs
 * (an op of the deterministic scheduler, or a real thread) is the scheduler's.
 */
public final class InvalidationPolicy {

    private final DirectWriteInvalidation invalidation;
    private final AsyncWriteCompletion completion;
    private final boolean lifo;

    public InvalidationPolicy(KernelConfig cfg) {
        this.invalidation = cfg.directWriteInvalidation();
        this.completion = cfg.asyncWriteCompletion();
        this.lifo = cfg.completionListOrder() == CompletionListOrder.LIFO;
    }

    /** Whether a direct write invalidates its range before its bios go out (65b8291c). */
    public boolean beforeSubmit() {
        return invalidation != DirectWriteInvalidation.NONE;
    }

    /**
     * Whether a direct write invalidates again after it (bdb76ef5): a synchronous one after its data
     * landed; an asynchronous one, in 2007 kernels, when the submission returned.
     */
    public boolean afterWrite() {
        return invalidation == DirectWriteInvalidation.BEFORE_AND_AFTER;
    }

    /** Where an asynchronous direct write's completion runs, and so its invalidation. */
    public AsyncWriteCompletion asyncCompletion() {
        return completion;
    }

    /**
     * Whether the 2017 fix defers the completion to process context to invalidate before it is
     * signalled: only when the inode has cached pages.
     */
    public boolean deferToProcessContext(PageCache cache) {
        return completion == AsyncWriteCompletion.PROCESS_CONTEXT_BEFORE_SIGNAL && cache.nrpages() > 0;
    }

    /** Whether completions queue with {@code list_add} (newest first) rather than {@code list_add_tail}. */
    public boolean lifo() {
        return lifo;
    }

    /** Queues a deferred completion on the completion list in the configured order. */
    public <T> void queue(Deque<T> list, T item) {
        if (lifo) {
            list.addFirst(item);
        } else {
            list.addLast(item);
        }
    }
}
