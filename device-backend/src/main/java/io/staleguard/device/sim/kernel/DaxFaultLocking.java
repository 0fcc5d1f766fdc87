package io.staleguard.device.sim.kernel;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * How a DAX page fault serialises its block lookup against block allocation by {@code write(2)}.
 *
 * <p>Source: Jan Kara's reply to Ross Zwisler on linux-mm (April 2017) on the race of a DAX read fault
 * that sees a hole with a {@code write(2)} that allocates the block.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum DaxFaultLocking {
    /**
     * {@code ->iomap_begin} runs before {@code grab_mapping_entry}, with no entry lock held: a read
     * fault can see a hole, a concurrent write can allocate the block and run its (empty)
     * invalidation, and the fault then installs the zero page: "we add zero page in the radix tree
     * &amp; map it to page tables".
     */
    UNLOCKED_FAULT,
    /**
     * Jan Kara's fix: the fault takes the mapping-entry lock first and holds it across
     * {@code ->iomap_begin}; the write's {@code invalidate_inode_pages2_range} "will see the entry
     * created by grab_mapping_entry() on CPU2 and block waiting for its lock and this is exactly what
     * stops the race".
     */
    ENTRY_LOCK_ACROSS_LOOKUP
}
