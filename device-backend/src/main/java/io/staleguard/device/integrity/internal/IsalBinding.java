package io.staleguard.device.integrity.internal;

/**
 * ISA-L's {@code crc16_t10dif} through the JDK's foreign function API, which JDK 17 does not have: this base
 * version only says so. The multi-release jar's JDK 22 version ({@code META-INF/versions/22}) replaces this
 * class with the binding itself, so the base classes stay Java 17 bytecode.
 */
final class IsalBinding {

    private IsalBinding() {
    }

    /** Why ISA-L is not used in this JVM, or {@code null} when {@link #engine()} is available. */
    static String unavailableReason() {
        int feature = Runtime.version().feature();
        if (feature < 22) {
            return "ISA-L needs JDK 22 or later (java.lang.foreign); this is JDK " + feature;
        }
        return "the JDK 22 classes of Staleguard's multi-release jar are not in use on JDK " + feature
                + " (classes loaded from a directory, from a jar built on a JDK before 22, or from a jar"
                + " without 'Multi-Release: true')";
    }

    /** The engine, or {@code null} when {@link #unavailableReason()} is not. */
    static Crc16Engine engine() {
        return null;
    }
}
