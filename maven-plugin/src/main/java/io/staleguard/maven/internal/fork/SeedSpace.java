package io.staleguard.maven.internal.fork;

import java.nio.charset.StandardCharsets;

/**
 * Derives run seeds from the master seed, a stream name (a scenario and preset, the tests, the
 * workload) and a seed index. The index space is what shards split, so a seed depends only on
 * those three and never on timing.
 */
public final class SeedSpace {

    private final long master;
    private final int shardIndex;
    private final int shardCount;

    public SeedSpace(long master, int shardIndex, int shardCount) {
        this.master = master;
        this.shardIndex = shardIndex;
        this.shardCount = shardCount;
    }

    /** The master seed. */
    public long master() {
        return master;
    }

    /** The seed index of this shard's {@code j}-th run. */
    public long index(long j) {
        return (shardIndex - 1) + j * shardCount;
    }

    /** The seed of this shard's {@code j}-th run of {@code stream}. */
    public long seed(String stream, long j) {
        return mix(master ^ fnv1a(stream) ^ mix(index(j) + 0x9E3779B97F4A7C15L));
    }

    static long fnv1a(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
