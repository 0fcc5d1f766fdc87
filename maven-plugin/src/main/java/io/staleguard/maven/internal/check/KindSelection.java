package io.staleguard.maven.internal.check;

import io.staleguard.device.ViolationKind;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Parses {@code staleguard.failOn}: a comma-separated list of kinds, by name or in words.
 */
public final class KindSelection {

    private KindSelection() {
    }

    /** The default: every kind that fails by default (all but unsupported-mixing). */
    public static Set<ViolationKind> defaults() {
        return Arrays.stream(ViolationKind.values()).filter(ViolationKind::failsByDefault)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(ViolationKind.class)));
    }

    /**
     * Parses {@code text}; blank gives {@link #defaults()}, {@code NONE} the empty set.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static Set<ViolationKind> parse(String text) {
        if (text == null || text.isBlank()) {
            return defaults();
        }
        EnumSet<ViolationKind> kinds = EnumSet.noneOf(ViolationKind.class);
        for (String part : text.split("[,\\s]+")) {
            if (part.isBlank()) {
                continue;
            }
            if (part.equalsIgnoreCase("NONE")) {
                continue;
            }
            if (part.equalsIgnoreCase("ALL")) {
                kinds.addAll(EnumSet.allOf(ViolationKind.class));
                continue;
            }
            try {
                kinds.add(ViolationKind.parse(part));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("staleguard.failOn: unknown violation kind '" + part
                        + "' (expected kinds such as stale-read, guard-tag, short-transfer, or ALL/NONE)");
            }
        }
        return kinds;
    }
}
