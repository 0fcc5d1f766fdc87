package io.staleguard.maven.internal.settings;

import io.staleguard.device.Seeds;

/**
 * Seeds as reproduce lines print them: {@code 0x} and 16 hex digits; also accepts decimal.
 */
public final class SeedText {

    private SeedText() {
    }

    /** Renders a seed. */
    public static String hex(long seed) {
        return Seeds.hex(seed);
    }

    /**
     * Parses a seed.
     *
     * @throws IllegalArgumentException one line naming the property and value
     */
    public static long parse(String property, String text) {
        if (text == null) {
            throw new IllegalArgumentException(property + " is not set (use a seed such as 0x00000000deadbeef)");
        }
        try {
            return Seeds.parse(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + "='" + text + "' is not a seed (use 0x and up to 16 hex "
                    + "digits, as reproduce lines print it, or a decimal number)");
        }
    }
}
