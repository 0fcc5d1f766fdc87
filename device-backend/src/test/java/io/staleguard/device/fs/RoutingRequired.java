package io.staleguard.device.fs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * For tests tagged {@code routing}: they need the routing provider installed in their JVM, which Maven's
 * {@code routing} Surefire execution does. Without it (an IDE run without the flag) they abort, saying so.
 */
public final class RoutingRequired {

    /** The tag of tests that need the flag. */
    public static final String TAG = "routing";

    private RoutingRequired() {
    }

    /** The installed provider; aborts the test, naming the flag, when there is none. */
    public static RoutingFileSystemProvider provider() {
        assumeTrue(RoutingFileSystemProvider.installed().isPresent(), () -> "SKIPPED: this test needs the routing"
                + " provider: run it with " + RoutingFileSystemProvider.FLAG + " (Maven's 'routing' Surefire"
                + " execution sets it)");
        return RoutingFileSystemProvider.installed().orElseThrow();
    }
}
