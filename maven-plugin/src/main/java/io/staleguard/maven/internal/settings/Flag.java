package io.staleguard.maven.internal.settings;

import java.util.Locale;

/**
 * A yes/no setting written as {@code -Dproperty} or {@code -Dproperty=true|false}. Maven itself reads any other
 * word as {@code false}, which would quietly turn {@code -Dstaleguard.acceptPartial=yes} into its opposite.
 */
public final class Flag {

    private Flag() {
    }

    /**
     * The flag's value: blank (a bare {@code -Dproperty}) and {@code true} are true, {@code false} is false.
     *
     * @throws IllegalArgumentException one line naming the property and the bad value
     */
    public static boolean parse(String property, String text) {
        String t = text == null ? "false" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "", "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(property + "='" + text + "' is not true or false");
        };
    }
}
