package io.staleguard.device.fs.crash.internal;

import java.util.Objects;

/**
 * What makes two recovery failures one: the exception class, its message with every digit run replaced by
 * {@code #}, and the first stack frame outside the JDK and Staleguard. "op-7 missing" and "op-8 missing" thrown at
 * the same line are one failure; the same assertion at two lines are two.
 */
public record FailureSignature(String type, String message, String frame) {

    public FailureSignature {
        Objects.requireNonNull(type, "type");
    }

    /** The signature of {@code t}. */
    public static FailureSignature of(Throwable t) {
        String msg = t.getMessage() == null ? "" : t.getMessage().replaceAll("[0-9]+", "#");
        String frame = "";
        for (StackTraceElement e : t.getStackTrace()) {
            if (!isPlatform(e.getClassName())) {
                frame = e.getClassName() + "." + e.getMethodName() + ":" + e.getLineNumber();
                break;
            }
        }
        return new FailureSignature(t.getClass().getName(), msg, frame);
    }

    private static boolean isPlatform(String cls) {
        return cls.startsWith("java.") || cls.startsWith("jdk.") || cls.startsWith("sun.")
                || cls.startsWith("org.junit.") || cls.startsWith("org.opentest4j.") || cls.startsWith("org.assertj.")
                || cls.startsWith("io.staleguard.device.fs.internal.") || cls.startsWith("io.staleguard.device.sim.")
                || cls.startsWith("io.staleguard.device.core.") || cls.startsWith("io.staleguard.device.oracle.")
                || cls.startsWith("io.staleguard.device.channels.") || cls.startsWith("io.staleguard.junit.internal.")
                || cls.equals(CrashEngine.class.getName()) || cls.startsWith(CrashEngine.class.getName() + "$")
                || cls.startsWith("io.staleguard.device.fs.crash.CrashExplorer");
    }
}
