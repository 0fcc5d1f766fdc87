package io.staleguard.device.sim.kernel;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * When a synchronous direct ({@code O_DIRECT}) write invalidates cached pages of its range.
 *
 * <p>Source: "[patch] aio: invalidate async directio writes" (Jeff Moyer, 2008-06-18,
 * quoting commit bdb76ef5 "dio: fix cache invalidation after sync writes"). Read-ahead issued beyond a
 * buffered reader can populate a page of the write's range while the write is in flight; only an
 * invalidation <em>after</em> the data is on the media removes that page.
 *
 * <p>For asynchronous direct writes the "after" invalidation of this switch runs where
 * {@code generic_file_direct_write} ran it in 2007: when the submission returns, before the data
 * landed. Karl Schendel: "The post-invalidate is probably still too early for async-directio". The
 * completion-side invalidation of asynchronous writes is {@link AsyncWriteCompletion}.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum DirectWriteInvalidation {
    /**
     * No invalidation around the write at all: every page cached before or during the write stays.
     * The catalogue files this under the 65b8291c regression; it is its worst case.
     */
    NONE,
    /**
     * Invalidate clean pages before the write, never after: exactly the state commit 65b8291c
     * ("dio: invalidate clean pages before dio write") left behind, which Karl Schendel hit:
     * "It still invalidated it before writes so most users were fine."
     */
    BEFORE_ONLY,
    /** Invalidate before and after the write, whatever its result: commit bdb76ef5 (Zach Brown, 2007). */
    BEFORE_AND_AFTER
}
