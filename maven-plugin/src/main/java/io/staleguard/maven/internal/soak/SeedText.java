package io.staleguard.maven.internal.soak;

/**
 * Seeds as reproduce lines print them: {@code 0x} and 16 hex digits; also accepts decimal.
 */
public final class SeedText {

    private SeedText() {
    }

    /** Renders a seed. */
    public static String hex(long seed) {
        return String.format("0x%016x", seed);
    }

    /**
     * Parses a seed.
     *
     * @throws IllegalArgumentException one line naming the property and value
     */
    public static long parse(String property, String text) {
        String t = text.trim().replace("_", "");
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + "='" + text + "' is not a seed (use 0x and up to 16 hex "
                    + "digits, as reproduce lines print it)");
        }
    }
}
