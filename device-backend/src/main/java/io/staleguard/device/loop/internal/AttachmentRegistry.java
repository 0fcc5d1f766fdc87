package io.staleguard.device.loop.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The loop attachments this JVM currently owns. A shutdown hook closes every one of them
 * (unmount, detach, delete), so an owner that never called close, or a test that failed before
 * it could, leaks nothing when the JVM exits.
 */
public final class AttachmentRegistry {

    private static final Set<LoopAttachment> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;

    private AttachmentRegistry() {
    }

    static void register(LoopAttachment a) {
        installHook();
        LIVE.add(a);
    }

    static void unregister(LoopAttachment a) {
        LIVE.remove(a);
    }

    /** Whether {@code device} is a loop device this JVM attached and still owns. */
    public static boolean owns(String device) {
        return LIVE.stream().anyMatch(a -> a.ownsDevice() && device.equals(a.device()));
    }

    /** How many attachments this JVM currently owns. */
    public static int liveCount() {
        return LIVE.size();
    }

    /** Closes every live attachment; returns the errors (also printed). Used by the shutdown hook. */
    public static List<IOException> closeAll() {
        List<IOException> errors = new ArrayList<>();
        for (LoopAttachment a : List.copyOf(LIVE)) {
            try {
                java.io.Closeable owner = a.owner();
                if (owner != null) {
                    owner.close();
                }
                a.close();
            } catch (IOException | RuntimeException e) {
                errors.add(e instanceof IOException io ? io : new IOException(e));
                System.err.println("staleguard: cleanup of " + a.describe() + " failed: " + e.getMessage());
            }
        }
        return errors;
    }

    private static synchronized void installHook() {
        if (hookInstalled) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            int n = LIVE.size();
            if (n > 0) {
                System.err.println("staleguard: JVM exit: releasing " + n + " loop device(s) still open");
            }
            closeAll();
        }, "staleguard-loop-cleanup"));
        hookInstalled = true;
    }
}
