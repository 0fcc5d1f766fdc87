package io.staleguard.junit.internal;

import io.staleguard.device.fs.crash.CrashModel;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The run-wide crash-exploration settings: each overrides every {@code @CrashOptions}.
 *
 * @param states the budget ({@value Settings#CRASH_STATES}), or empty
 * @param replay the one state to replay ({@value Settings#CRASH_STATE}), or empty
 * @param model  the crash model ({@value Settings#CRASH_MODEL}), or empty
 */
public record CrashProperties(Optional<Integer> states, Optional<Integer> replay, Optional<CrashModel> model) {

    /** None set. */
    public static final CrashProperties NONE = new CrashProperties(Optional.empty(), Optional.empty(),
            Optional.empty());

    /** Reads the three properties through {@code lookup}; each one set goes into {@code explicit}. */
    static CrashProperties read(Function<String, Optional<String>> lookup, Map<String, String> explicit) {
        Optional<Integer> states = lookup.apply(Settings.CRASH_STATES).map(v -> {
            explicit.put(Settings.CRASH_STATES, v);
            return number(Settings.CRASH_STATES, v, 1, "a budget of at least 1 crash state");
        });
        Optional<Integer> replay = lookup.apply(Settings.CRASH_STATE).map(v -> {
            explicit.put(Settings.CRASH_STATE, v);
            return number(Settings.CRASH_STATE, v, 0, "the number of a crash state, 0 or more, as a reproduce "
                    + "line prints it");
        });
        Optional<CrashModel> model = lookup.apply(Settings.CRASH_MODEL).map(v -> {
            explicit.put(Settings.CRASH_MODEL, v);
            return model(v);
        });
        return new CrashProperties(states, replay, model);
    }

    private static int number(String name, String text, int min, String what) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below with the same message as an out-of-range number
        }
        throw new ExtensionConfigurationException(name + "='" + text + "' is not valid: use " + what);
    }

    private static CrashModel model(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (CrashModel m : CrashModel.values()) {
            if (m.name().equals(t)) {
                return m;
            }
        }
        throw new ExtensionConfigurationException(Settings.CRASH_MODEL + "='" + text + "' is not a crash model: "
                + "use one of " + List.of(CrashModel.values()));
    }
}
