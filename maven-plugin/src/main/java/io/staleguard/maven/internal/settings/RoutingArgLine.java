package io.staleguard.maven.internal.settings;

import io.staleguard.device.fs.RoutingFileSystemProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The edit {@code staleguard:prepare} makes to a JVM argument line: the routing flag appended, with what was there
 * kept. A line that installs the routing provider already is left as it is, so running the goal twice changes
 * nothing; a line that installs another default provider gets the routing one added to the JDK's chain
 * ({@code -D...=Theirs,io.staleguard...}), which wraps theirs.
 */
public final class RoutingArgLine {

    private static final String CLASS = RoutingFileSystemProvider.class.getName();
    private static final Pattern PROPERTY = Pattern.compile("(^|\\s)(-D" + Pattern.quote(
            RoutingFileSystemProvider.PROPERTY) + "=)(\\S*)");

    private RoutingArgLine() {
    }

    /** {@code argLine} with the routing provider installed; null or blank gives the flag alone. */
    public static String with(String argLine) {
        if (argLine == null || argLine.isBlank()) {
            return RoutingFileSystemProvider.FLAG;
        }
        Matcher m = PROPERTY.matcher(argLine);
        if (!m.find()) {
            return argLine.stripTrailing() + " " + RoutingFileSystemProvider.FLAG;
        }
        String value = m.group(3);
        for (String provider : value.split(",")) {
            if (provider.equals(CLASS)) {
                return argLine;
            }
        }
        String chained = value.isEmpty() ? CLASS : value + "," + CLASS;
        return argLine.substring(0, m.start(3)) + chained + argLine.substring(m.end(3));
    }
}
