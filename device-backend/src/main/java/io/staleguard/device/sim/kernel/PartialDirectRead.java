package io.staleguard.device.sim.kernel;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * What an {@code IOCB_NOWAIT} asynchronous direct read does when, with {@code IOMAP_DIO_PARTIAL}, it
 * faults on a not-yet-faulted user buffer page after it already submitted a bio for an earlier
 * extent.
 *
 * <p>Source: "[PATCH] iomap: fix incomplete async dio reads when using IOMAP_DIO_PARTIAL" (Filipe
 * Manana, 2022-02-28), after commit 51bd9563 made btrfs use {@code IOMAP_DIO_PARTIAL}.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum PartialDirectRead {
    /**
     * {@code wait_for_completion} stays false for NOWAIT: {@code -EIOCBQUEUED} is returned and the
     * completion of the first extent's bio completes the request with that extent's bytes only (steps
     * 8-12 of the commit message). Short, though not at EOF.
     */
    NOWAIT_PARTIAL_FIRST_EXTENT,
    /**
     * The fix: for a read that made progress and has not reached EOF, wait for the submitted bios
     * even under NOWAIT, return the partial count, let the filesystem fault in the remaining buffer
     * pages and continue the read.
     */
    WAIT_AND_CONTINUE
}
