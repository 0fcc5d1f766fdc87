package io.staleguard.junit.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses human sizes such as {@code "64MiB"}, {@code "512 KiB"}, {@code "1g"} or {@code "4096"}. */
public final class Sizes {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b?)", Pattern.CASE_INSENSITIVE);

    private Sizes() {
    }

    /**
     * The size in bytes. Binary units: k, KiB, KB all mean 1024. Throws {@link IllegalArgumentException}
     * naming the text when it is not a size.
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("cannot parse size '" + text
                    + "' (expected e.g. \"64MiB\", \"512KiB\", \"1GiB\" or a byte count)");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot parse size '" + text + "': number too large");
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        if (shift == 0 && m.group(3).toLowerCase(Locale.ROOT).startsWith("i")) {
            throw new IllegalArgumentException("cannot parse size '" + text + "' (a unit such as KiB is incomplete)");
        }
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("cannot parse size '" + text + "': too large");
        }
        return n << shift;
    }

    /** Renders a byte count in the largest exact binary unit ({@code 67108864 -> "64MiB"}). */
    public static String render(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        long v = bytes;
        while (u < units.length - 1 && v != 0 && v % 1024 == 0) {
            v /= 1024;
            u++;
        }
        return v + units[u];
    }
}
