package io.staleguard.maven.internal.model;

import io.staleguard.device.ViolationKind;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Violation counts keyed by kind name, in the enum's order so that files and logs are stable.
 */
public final class Counts {

    private Counts() {
    }

    /** An unmodifiable copy ordered by kind (unknown names last, alphabetically); zero counts dropped. */
    public static Map<String, Long> canonical(Map<String, Long> counts) {
        if (counts == null || counts.isEmpty()) {
            return Map.of();
        }
        TreeMap<String, Long> sorted = new TreeMap<>(Comparator.comparingInt(Counts::rank).thenComparing(k -> k));
        counts.forEach((k, v) -> {
            if (k != null && v != null && v != 0) {
                sorted.merge(k, v, Long::sum);
            }
        });
        return Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
    }

    /** Adds {@code add} into {@code into}. */
    public static void addInto(Map<String, Long> into, Map<String, Long> add) {
        add.forEach((k, v) -> into.merge(k, v, Long::sum));
    }

    /** A new map with the counts of {@code a} and {@code b} added up. */
    public static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> out = new HashMap<>(a);
        addInto(out, b);
        return out;
    }

    /** The sum of all counts. */
    public static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** "3 stale-read, 1 guard-tag", or "none". */
    public static String inWords(Map<String, Long> counts) {
        if (total(counts) == 0) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        canonical(counts).forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(v).append(' ').append(words(k));
        });
        return sb.toString();
    }

    /** The kind's words ("stale-read") for a kind name, or the name itself when unknown. */
    public static String words(String kindName) {
        try {
            return ViolationKind.parse(kindName).inWords();
        } catch (IllegalArgumentException e) {
            return kindName;
        }
    }

    private static int rank(String name) {
        try {
            return ViolationKind.parse(name).ordinal();
        } catch (IllegalArgumentException e) {
            return Integer.MAX_VALUE;
        }
    }
}
