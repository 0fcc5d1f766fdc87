package io.staleguard.device.sim.kernel;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Whether a page can change between the moment writeback computes its protection information and
 * the moment the device takes the data (DMA).
 *
 * <p>Source: "[RFC] block integrity: Fix write after checksum calculation problem" (Darrick J. Wong
 * and others, from 2011-02-22). Writeback locks the page, calls
 * {@code clear_page_dirty_for_io} (which write-protects every user mapping through
 * {@code page_mkclean}), sets {@code PG_writeback}, unlocks the page and submits the bio, whose
 * integrity payload is generated from the page as it is then.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum StablePages {
    /**
     * Nothing stops a rewrite: {@code write()} copies into a page under writeback and
     * {@code page_mkwrite} lets a mapped store proceed. "The kernel does not prohibit writes to a
     * dirty page during a write IO."
     */
    NONE,
    /**
     * {@code wait_on_page_writeback} in the {@code write()} path only (Darrick's second patch,
     * "fs: Wait for page writeback when rewrite detected"): "It does seem to be working for the pure
     * pwrite() case", but "it is still possible to generate checksum errors by scribbling furiously
     * on a mmap'd region".
     */
    WAIT_IN_WRITE_ONLY,
    /**
     * Wait on writeback in {@code write()} and, with the page locked, in {@code page_mkwrite}
     * (Chris Mason: "All you really need is to wait on writeback in file_write, wait on writeback in
     * page_mkwrite"). The stable-pages behaviour that was merged.
     */
    WAIT_IN_WRITE_AND_MKWRITE,
    /**
     * Copy the page to a bounce buffer just before computing the checksum and send the copy to the
     * device (Darrick's first patch: "(ab)use the bounce buffering code to copy the memory page just
     * prior to calculating the checksum"). Correct, NAKed for its cost.
     */
    BOUNCE_BEFORE_CHECKSUM
}
