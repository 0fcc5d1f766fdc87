package io.staleguard.junit.internal;

import java.util.Map;
import java.util.regex.Pattern;

/** Builds the one-line command that reruns a test with the same seed and the same non-default settings. */
public final class Reproduce {

    /** The prefix of the line in failure messages. */
    public static final String NOTE = "NOTE: reproduce with: ";

    private Reproduce() {
    }

    /**
     * {@code mvn test -Dtest=Class#method -Dstaleguard.seed=0x…} plus each explicitly set Staleguard option.
     *
     * @param testClass  the test class (the package is left out, as surefire matches simple names)
     * @param method     the method name, or null for a class-level failure
     * @param masterSeed the master seed
     * @param explicit   non-default settings, name to value
     */
    public static String command(Class<?> testClass, String method, long masterSeed, Map<String, String> explicit) {
        String name = testClass.getName();
        String pkg = testClass.getPackageName();
        String simple = pkg.isEmpty() ? name : name.substring(pkg.length() + 1);
        StringBuilder sb = new StringBuilder("mvn test -Dtest=").append(simple);
        if (method != null) {
            sb.append('#').append(method);
        }
        sb.append(" -D").append(Settings.SEED).append('=').append(Settings.hex(masterSeed));
        explicit.forEach((k, v) -> sb.append(" -D").append(k).append('=').append(quote(v)));
        return sb.toString();
    }

    /**
     * {@code line} replaying crash state {@code state} only: any {@code staleguard.crashState} it had is replaced,
     * and the new one ends the line.
     */
    public static String withCrashState(String line, int state) {
        String without = line.replaceAll(" -D" + Pattern.quote(Settings.CRASH_STATE) + "=\\S+", "");
        return without + " -D" + Settings.CRASH_STATE + "=" + state;
    }

    private static String quote(String v) {
        return v.matches("[A-Za-z0-9_.,:/=+@%-]*") ? v : "'" + v.replace("'", "'\\''") + "'";
    }
}
