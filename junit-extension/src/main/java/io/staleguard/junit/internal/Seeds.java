package io.staleguard.junit.internal;

import java.nio.charset.StandardCharsets;

/**
 * Seed derivation. Every seed of a test comes from the master seed and a stable identity (the JUnit unique id,
 * a device name, a rewriter index), never from the order tests run in, so rerunning a single test with the same
 * master seed replays its decisions.
 */
public final class Seeds {

    private Seeds() {
    }

    /** The seed of {@code identity} under {@code parent}. */
    public static long derive(long parent, String identity) {
        return mix(parent ^ fnv1a(identity));
    }

    /** The seed of the {@code index}-th child of {@code parent} named {@code role}. */
    public static long derive(long parent, String role, int index) {
        return derive(parent, role + "#" + index);
    }

    /** FNV-1a over UTF-8 bytes: stable across JVMs and runs, unlike {@link String#hashCode()} mixing. */
    static long fnv1a(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** The SplitMix64 finalizer: spreads nearby inputs over the whole range. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
