package io.staleguard.device.core.internal;

/**
 * Per-thread scratch arrays for the block images, tuples and edge blocks of a transfer, so that
 * steady-state transfers allocate nothing. A transfer uses its thread's arrays only until it
 * returns; arrays above 1 MiB are handed out once and not kept.
 */
final class ScratchArrays {

    private static final int RETAIN = 1 << 20;
    private static final ThreadLocal<ScratchArrays> PER_THREAD = ThreadLocal.withInitial(ScratchArrays::new);

    private byte[] image = new byte[4096];
    private byte[] tuples = new byte[64];
    private byte[] edge = new byte[4096];
    private long[] fingerprints = new long[8];
    private int[] sectorCrcs = new int[64];

    private ScratchArrays() {
    }

    /** The calling thread's arrays. */
    static ScratchArrays get() {
        return PER_THREAD.get();
    }

    /** At least {@code n} bytes for the aligned blocks of a transfer. */
    byte[] image(int n) {
        if (image.length >= n) {
            return image;
        }
        if (n > RETAIN) {
            return new byte[n];
        }
        image = new byte[Integer.highestOneBit(n - 1) << 1];
        return image;
    }

    /** At least {@code n} bytes for tuples. */
    byte[] tuples(int n) {
        if (tuples.length >= n) {
            return tuples;
        }
        byte[] t = new byte[n];
        if (n <= RETAIN / 8) {
            tuples = t;
        }
        return t;
    }

    /** At least {@code n} fingerprint entries (deferred guards). */
    long[] fingerprints(int n) {
        if (fingerprints.length >= n) {
            return fingerprints;
        }
        long[] f = new long[n];
        if (n <= RETAIN / 64) {
            fingerprints = f;
        }
        return f;
    }

    /** At least {@code n} entries for the CRC-32Cs of a transfer's sectors. */
    int[] sectorCrcs(int n) {
        if (sectorCrcs.length >= n) {
            return sectorCrcs;
        }
        int[] c = new int[n];
        if (n <= RETAIN / 128) {
            sectorCrcs = c;
        }
        return c;
    }

    /** One block, for the old content of a partially written edge block. */
    byte[] edge(int n) {
        if (edge.length < n) {
            edge = new byte[n];
        }
        return edge;
    }
}
