package io.staleguard.device.sim.kernel.internal;

/**
 * One page's writeback I/O from {@link PageCache#startWriteback} to {@link PageCache#land}: the
 * bytes the device will take ({@code source}, the page itself or its bounce copy), the dirty blocks
 * it writes and the tuples computed when it started (null without protection).
 */
public record Writeback(Page page, byte[] source, long blocks, byte[] tuples) {

    /** Whether the device takes a bounce copy rather than the page. */
    public boolean bounced() {
        return source != page.data;
    }
}
