package io.staleguard.device.integrity;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;
import static org.apiguardian.api.API.Status.STABLE;

import io.staleguard.device.integrity.internal.Crc16Engine;
import io.staleguard.device.integrity.internal.Crc16Engines;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * CRC-16/T10-DIF, the guard of T10 DIF protection information: polynomial 0x8BB7, initial value
 * 0, not reflected, final xor 0. The check value for ASCII {@code "123456789"} is 0xD0DB.
 *
 * <p>{@link #compute} and {@link #update} use the fastest {@link Implementation} this JVM has, chosen once:
 * {@link Implementation#ISA_L ISA-L} on JDK 22 and later when native access is enabled and {@code libisal2} is
 * installed, otherwise {@link Implementation#INTERLEAVED} (pure Java). Every implementation gives the same
 * results; {@link #implementation()} says which one is in use.
 *
 * <p>All methods are thread-safe and never change a buffer's position, limit or byte order.
 * Results are in the low 16 bits of the returned {@code int}.
 */
@API(status = STABLE, since = "0.1")
public final class Crc16T10Dif {

    /** CRC-16/T10-DIF of ASCII {@code "123456789"}. */
    public static final int CHECK = 0xD0DB;

    private static final Implementation SELECTED;
    private static final Crc16Engine ENGINE;

    static {
        ENGINE = Crc16Engines.selected();
        SELECTED = ENGINE == Crc16Engines.interleaved() ? Implementation.INTERLEAVED : Implementation.ISA_L;
    }

    private Crc16T10Dif() {
    }

    /** CRC-16/T10-DIF of {@code b[off, off+len)}. */
    public static int compute(byte[] b, int off, int len) {
        return update(0, b, off, len);
    }

    /**
     * CRC-16/T10-DIF of {@code buf[off, off+len)} (absolute indexes; position, limit and order are
     * not used nor changed). Fast for heap, read-only and direct buffers alike.
     */
    public static int compute(ByteBuffer buf, int off, int len) {
        return update(0, buf, off, len);
    }

    /** Continues a CRC: {@code update(compute(a), b) == compute(a + b)}. */
    public static int update(int crc, byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        return ENGINE.update(crc, b, off, len);
    }

    /** Continues a CRC over {@code buf[off, off+len)}, absolute, see {@link #compute(ByteBuffer, int, int)}. */
    public static int update(int crc, ByteBuffer buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.limit());
        if (buf.hasArray()) {
            return ENGINE.update(crc, buf.array(), buf.arrayOffset() + off, len);
        }
        return ENGINE.update(crc, buf, off, len);
    }

    /** The implementation {@link #compute} and {@link #update} use in this JVM. */
    public static Implementation implementation() {
        return SELECTED;
    }

    /**
     * The implementations of CRC-16/T10-DIF, each callable by itself (to compare or measure them); all give the
     * same results.
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public enum Implementation {
        /** One stream of 16 bytes per step through sixteen 256-entry tables: the pure-Java reference. */
        SLICING_BY_16,
        /** Four slicing-by-16 streams over each 512-byte block, combined with shift tables: pure Java. */
        INTERLEAVED,
        /**
         * ISA-L's {@code crc16_t10dif} (Debian's {@code libisal2}), carry-less multiplication in native code,
         * called through {@code java.lang.foreign}: JDK 22 or later, native access enabled
         * ({@code --enable-native-access=ALL-UNNAMED}).
         */
        ISA_L;

        /** Whether this implementation can run in this JVM. */
        public boolean available() {
            return this != ISA_L || Crc16Engines.isal() != null;
        }

        /** Why it cannot run in this JVM, empty when it can. */
        public String unavailableReason() {
            return available() ? "" : Crc16Engines.isalUnavailableReason();
        }

        /**
         * {@link Crc16T10Dif#update(int, byte[], int, int)} with this implementation.
         *
         * @throws UnsupportedOperationException if it is not {@link #available()} here, saying why
         */
        public int update(int crc, byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            return engine().update(crc, b, off, len);
        }

        /**
         * {@link Crc16T10Dif#update(int, ByteBuffer, int, int)} with this implementation.
         *
         * @throws UnsupportedOperationException if it is not {@link #available()} here, saying why
         */
        public int update(int crc, ByteBuffer buf, int off, int len) {
            Objects.checkFromIndexSize(off, len, buf.limit());
            Crc16Engine e = engine();
            if (buf.hasArray()) {
                return e.update(crc, buf.array(), buf.arrayOffset() + off, len);
            }
            return e.update(crc, buf, off, len);
        }

        private Crc16Engine engine() {
            return switch (this) {
                case SLICING_BY_16 -> Crc16Engines.slicing16();
                case INTERLEAVED -> Crc16Engines.interleaved();
                case ISA_L -> {
                    Crc16Engine isal = Crc16Engines.isal();
                    if (isal == null) {
                        throw new UnsupportedOperationException("ISA_L: " + Crc16Engines.isalUnavailableReason());
                    }
                    yield isal;
                }
            };
        }
    }
}
