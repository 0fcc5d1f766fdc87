package io.staleguard.maven.internal.settings;

/**
 * {@code staleguard.shard=i/n}: this machine runs seed indexes {@code k} with {@code k % n == i - 1},
 * so n machines together cover exactly the seeds one machine would, without overlap.
 *
 * @param index 1-based shard number
 * @param count number of shards
 */
public record ShardSpec(int index, int count) {

    /** The whole seed space. */
    public static final ShardSpec ALL = new ShardSpec(1, 1);

    public ShardSpec {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("staleguard.shard='" + index + "/" + count + "' is out of range (use "
                    + "i/n with 1 <= i <= n)");
        }
    }

    /** Parses {@code i/n}; blank means {@link #ALL}. */
    public static ShardSpec parse(String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        String[] parts = text.trim().split("/");
        try {
            if (parts.length == 2) {
                return new ShardSpec(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // fall through to the one-line message
        }
        throw new IllegalArgumentException("staleguard.shard='" + text + "' is not a shard (use i/n, e.g. 2/4)");
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
