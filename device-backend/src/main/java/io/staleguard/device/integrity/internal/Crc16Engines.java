package io.staleguard.device.integrity.internal;

import java.lang.System.Logger.Level;

/**
 * The CRC-16/T10-DIF engines and the one {@code Crc16T10Dif} uses: ISA-L where this JVM can call it (the
 * multi-release jar's JDK 22 classes, native access enabled, {@code libisal.so.2} present), otherwise the
 * interleaved pure-Java engine. The choice is made once and said once, at debug level: falling back is normal
 * (JDK 17, no library), so it never warns and never fails.
 */
public final class Crc16Engines {

    private static final String LOGGER = "io.staleguard.device.integrity";

    private Crc16Engines() {
    }

    /** The slicing-by-16 reference. */
    public static Crc16Engine slicing16() {
        return Slicing16Crc16.INSTANCE;
    }

    /** The interleaved pure-Java engine. */
    public static Crc16Engine interleaved() {
        return InterleavedCrc16.INSTANCE;
    }

    /** ISA-L's {@code crc16_t10dif}, or {@code null} when {@link #isalUnavailableReason()} says why not. */
    public static Crc16Engine isal() {
        return IsalBinding.engine();
    }

    /** Why ISA-L cannot be used in this JVM, or {@code null} when it can. */
    public static String isalUnavailableReason() {
        return IsalBinding.unavailableReason();
    }

    /** The fastest engine available; logs the choice (once per call: call it once). */
    public static Crc16Engine selected() {
        Crc16Engine isal = isal();
        System.Logger log = System.getLogger(LOGGER);
        if (isal != null) {
            log.log(Level.DEBUG, "CRC-16/T10-DIF: ISA-L crc16_t10dif");
            return isal;
        }
        log.log(Level.DEBUG, "CRC-16/T10-DIF: interleaved pure Java; ISA-L not used: {0}", isalUnavailableReason());
        return interleaved();
    }
}
