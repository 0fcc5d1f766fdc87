package io.staleguard.device;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.nio.charset.StandardCharsets;
import org.apiguardian.api.API;

/**
 * Seed derivation shared by the JUnit extension and the Maven plugin. A derived seed depends only on its parent
 * seed and a stable identity (a test's unique id, a device name, a stream name and run index), never on the order
 * things run in or on the JVM, so a reproduce line printed by an earlier run replays the same decisions.
 *
 * <p>The values are a compatibility contract: changing any of these functions breaks every reproduce line printed
 * before the change. Tests pin derived values.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Seeds {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** The seed of {@code identity} under {@code parent}. */
    public static long derive(long parent, String identity) {
        return mix(parent ^ fnv1a(identity));
    }

    /** The seed of the {@code index}-th child of {@code parent} named {@code role}: {@code role + "#" + index}. */
    public static long derive(long parent, String role, int index) {
        return derive(parent, role + "#" + index);
    }

    /**
     * The seed of run {@code index} of {@code stream} under {@code master}. The index space is what shards split,
     * so a run's seed is the same whichever shard runs it.
     */
    public static long run(long master, String stream, long index) {
        return mix(master ^ fnv1a(stream) ^ mix(index + GOLDEN_GAMMA));
    }

    /**
     * Parses a seed as reproduce lines print it ({@code 0x} and up to 16 hex digits, any sign bit) or a decimal
     * long; surrounding blanks and {@code _} separators are ignored.
     *
     * @throws NumberFormatException when {@code text} is neither; callers say which setting held it
     */
    public static long parse(String text) {
        String t = text.trim().replace("_", "");
        if (t.startsWith("0x") || t.startsWith("0X")) {
            return Long.parseUnsignedLong(t.substring(2), 16);
        }
        return Long.parseLong(t);
    }

    /** Renders a seed as reproduce lines print it: {@code 0x} and 16 hex digits. */
    public static String hex(long seed) {
        return String.format("0x%016x", seed);
    }

    /** FNV-1a over UTF-8 bytes: stable across JVMs and runs, unlike {@link String#hashCode()} mixing. */
    public static long fnv1a(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** The SplitMix64 finalizer: spreads nearby inputs over the whole range. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
