package io.staleguard.maven.internal.fork;

import io.staleguard.device.Seeds;

/**
 * Derives run seeds from the master seed, a stream name (a scenario and preset, the tests, the
 * workload) and a seed index. The index space is what shards split, so a seed depends only on
 * those three and never on timing. The derivation itself is {@link Seeds#run}.
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
        return Seeds.run(master, stream, index(j));
    }
}
