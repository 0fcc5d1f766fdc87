package io.staleguard.device.sim;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.sim.internal.LongBlockMap;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The blocks in which one crash state differs from a {@link MediaSnapshot}: whole logical blocks by
 * block index, optionally over a parent overlay that it reads through (how the states of one crash
 * point share their durable blocks without copying them). {@link SimulatedDevice#powerCycle(MediaSnapshot,
 * BlockOverlay)} mounts it; a state therefore costs the blocks that differ, never a copy of the device.
 *
 * <p>Not thread safe while it is being filled; once mounted it must not change (the device reads
 * it from its I/O threads).
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class BlockOverlay {

    private final int blockSize;
    private final BlockOverlay below;
    private final LongBlockMap blocks = new LongBlockMap();

    /**
     * An empty overlay of blocks of {@code blockSize} bytes.
     *
     * @throws IllegalArgumentException naming a block size that is not a power of two of at least 512
     */
    public BlockOverlay(int blockSize) {
        if (blockSize < 512 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size " + blockSize + " is not a power of two of at least 512");
        }
        this.blockSize = blockSize;
        this.below = null;
    }

    /** An empty overlay over {@code below}: a block not put here reads as {@code below} has it. */
    public BlockOverlay(BlockOverlay below) {
        this.below = Objects.requireNonNull(below, "below");
        this.blockSize = below.blockSize;
    }

    /** Bytes per block. */
    public int blockSize() {
        return blockSize;
    }

    /**
     * Sets block {@code block} to a copy of {@code data}.
     *
     * @throws IllegalArgumentException naming a negative block or data that is not one block long
     */
    public void put(long block, byte[] data) {
        Objects.requireNonNull(data, "data");
        if (block < 0) {
            throw new IllegalArgumentException("block " + block + " is negative");
        }
        if (data.length != blockSize) {
            throw new IllegalArgumentException("data of " + data.length + " bytes is not one block of " + blockSize
                    + " bytes (block " + block + ")");
        }
        blocks.put(block, data.clone());
    }

    /** A copy of block {@code block} as this overlay (or one below it) holds it, or null if none does. */
    public byte[] get(long block) {
        byte[] b = peek(block);
        return b == null ? null : b.clone();
    }

    /** The blocks this overlay itself holds (not those below it), ascending. */
    public long[] blocks() {
        return blocks.keys();
    }

    /** Number of blocks this overlay itself holds. */
    public int size() {
        return blocks.size();
    }

    /** The overlay this one reads through, or null. */
    public BlockOverlay below() {
        return below;
    }

    /** The stored block, not copied (the device's read path). */
    byte[] peek(long block) {
        for (BlockOverlay o = this; o != null; o = o.below) {
            byte[] b = o.blocks.get(block);
            if (b != null) {
                return b;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        int depth = 0;
        for (BlockOverlay o = below; o != null; o = o.below) {
            depth++;
        }
        return "BlockOverlay[" + size() + " block(s) of " + blockSize + " B" + (depth > 0 ? ", over " + depth : "") + "]";
    }
}
