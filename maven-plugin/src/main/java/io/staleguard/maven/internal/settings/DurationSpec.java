package io.staleguard.maven.internal.settings;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as users write them for soaks: {@code 30s}, {@code 10m}, {@code 8h},
 * {@code 1h30m}, {@code 500ms}; a bare number is seconds.
 */
public final class DurationSpec {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    /**
     * The longest duration accepted: a year. Deadlines are {@link System#nanoTime()} values, which compare safely
     * only within about 292 years, and nothing longer is a soak anyone meant.
     */
    static final long MAX_MILLIS = 365L * 86_400_000;

    private DurationSpec() {
    }

    /**
     * The duration in milliseconds.
     *
     * @param property the property name, for the message
     * @throws IllegalArgumentException one line naming the property and the bad value
     */
    public static long parseMillis(String property, String text) {
        String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            return check(property, text, millis(property, text, t));
        } catch (ArithmeticException | NumberFormatException e) {
            // Beyond a long: far too long, not "not a duration" or, after an overflow, "not longer than zero".
            throw tooLong(property, text);
        }
    }

    private static long millis(String property, String text, String t) {
        if (t.matches("\\d+")) {
            return Math.multiplyExact(Long.parseLong(t), 1000L);
        }
        Matcher m = PART.matcher(t);
        int at = 0;
        long total = 0;
        while (at < t.length() && m.find(at) && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            total = Math.addExact(total, Math.multiplyExact(n, switch (m.group(2)) {
                case "ms" -> 1L;
                case "s" -> 1000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                default -> 86_400_000L;
            }));
            at = m.end();
        }
        if (t.isEmpty() || at != t.length()) {
            throw new IllegalArgumentException(property + "='" + text + "' is not a duration (use e.g. 30s, 10m, "
                    + "8h or 1h30m)");
        }
        return total;
    }

    private static long check(String property, String text, long millis) {
        if (millis <= 0) {
            throw new IllegalArgumentException(property + "='" + text + "' must be longer than zero");
        }
        if (millis > MAX_MILLIS) {
            throw tooLong(property, text);
        }
        return millis;
    }

    private static IllegalArgumentException tooLong(String property, String text) {
        return new IllegalArgumentException(property + "='" + text + "' is too long (at most 365d)");
    }

    /** "1h 02m 03s" style rendering for logs. */
    public static String format(long millis) {
        long s = Math.max(0, millis) / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        return String.format("%dh%02dm%02ds", s / 3600, (s % 3600) / 60, s % 60);
    }
}
