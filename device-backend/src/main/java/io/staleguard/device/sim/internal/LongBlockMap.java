package io.staleguard.device.sim.internal;

import java.util.Arrays;

/**
 * Blocks by block index, in an open-addressing table of primitive keys: a crash state's overlay
 * costs one array slot and the block's bytes per block, no boxing. Not thread safe; the media's
 * stripe locks serialise writers of one block, and a map that is read concurrently is not written.
 */
public final class LongBlockMap {

    private static final long EMPTY = -1;

    private long[] keys;
    private byte[][] values;
    private int size;

    /** An empty map. */
    public LongBlockMap() {
        keys = new long[16];
        Arrays.fill(keys, EMPTY);
        values = new byte[16][];
    }

    /** The block stored for {@code block}, or null. */
    public byte[] get(long block) {
        long[] k = keys;
        int mask = k.length - 1;
        for (int i = slot(block, mask); ; i = (i + 1) & mask) {
            long key = k[i];
            if (key == block) {
                return values[i];
            }
            if (key == EMPTY) {
                return null;
            }
        }
    }

    /**
     * Stores {@code data} (not copied) for {@code block}, replacing what was there.
     *
     * @throws IllegalArgumentException if {@code block} is negative
     */
    public void put(long block, byte[] data) {
        if (block < 0) {
            throw new IllegalArgumentException("block " + block + " is negative");
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        long[] k = keys;
        int mask = k.length - 1;
        for (int i = slot(block, mask); ; i = (i + 1) & mask) {
            if (k[i] == block) {
                values[i] = data;
                return;
            }
            if (k[i] == EMPTY) {
                k[i] = block;
                values[i] = data;
                size++;
                return;
            }
        }
    }

    /** Number of blocks stored. */
    public int size() {
        return size;
    }

    /** The stored block indexes, ascending. */
    public long[] keys() {
        long[] out = new long[size];
        int n = 0;
        for (long key : keys) {
            if (key != EMPTY) {
                out[n++] = key;
            }
        }
        Arrays.sort(out);
        return out;
    }

    private void grow() {
        long[] oldKeys = keys;
        byte[][] oldValues = values;
        keys = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        values = new byte[keys.length][];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int slot(long block, int mask) {
        long h = block * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
