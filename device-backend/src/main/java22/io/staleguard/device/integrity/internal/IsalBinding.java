package io.staleguard.device.integrity.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The JDK 22 version of this class (multi-release jar, {@code META-INF/versions/22}): binds ISA-L's
 * {@code uint16_t crc16_t10dif(uint16_t seed, const unsigned char *buf, uint64_t len)} from {@code libisal.so.2}
 * with {@link Linker.Option#critical(boolean) critical(true)}, so that heap arrays are passed without a copy.
 *
 * <p>Why it asks before it binds: loading a library and linking a downcall are restricted methods, and without
 * native access enabled for this code the JDK prints a warning to standard error on the first one (JDK 24 and
 * later also for {@code --illegal-native-access=warn}, the default) or throws ({@code =deny}). A test suite must
 * not get that warning from a checksum, so ISA-L is used only when the user enabled native access
 * ({@code --enable-native-access=ALL-UNNAMED}, or the module's name); otherwise the pure-Java engine runs and the
 * reason is logged at debug level.
 */
final class IsalBinding {

    private static final String[] LIBRARIES = {"libisal.so.2", "libisal.so"};
    private static final String SYMBOL = "crc16_t10dif";
    private static final String INSTALL = "install it with 'apt-get install libisal2' (Debian, Ubuntu)";

    private static final MethodHandle HANDLE;
    private static final String REASON;

    static {
        MethodHandle handle = null;
        String reason;
        try {
            handle = bind();
            reason = check(handle);
        } catch (Unavailable e) {
            reason = e.getMessage();
        } catch (RuntimeException | LinkageError e) {
            reason = "binding " + SYMBOL + " failed: " + e;
        }
        HANDLE = reason == null ? handle : null;
        REASON = reason;
    }

    private IsalBinding() {
    }

    /** Why ISA-L is not used in this JVM, or {@code null} when {@link #engine()} is available. */
    static String unavailableReason() {
        return REASON;
    }

    /** The engine, or {@code null} when {@link #unavailableReason()} is not. */
    static Crc16Engine engine() {
        return HANDLE == null ? null : IsalCrc16.INSTANCE;
    }

    /** The bound downcall; only {@link IsalCrc16} calls it, after {@link #engine()} returned it. */
    static MethodHandle handle() {
        return HANDLE;
    }

    @SuppressWarnings("restricted") // libraryLookup and downcallHandle: run only once native access is enabled
    private static MethodHandle bind() throws Unavailable {
        Module module = IsalBinding.class.getModule();
        if (!module.isNativeAccessEnabled()) {
            String who = module.isNamed() ? module.getName() : "ALL-UNNAMED";
            throw new Unavailable("native access is not enabled for " + (module.isNamed() ? "module " + who
                    : "the class path") + ": run the JVM with --enable-native-access=" + who
                    + " to use ISA-L (without it the JDK would print a restricted-method warning)");
        }
        SymbolLookup lookup = null;
        for (String name : LIBRARIES) {
            try {
                lookup = SymbolLookup.libraryLookup(name, Arena.global());
                break;
            } catch (IllegalArgumentException notFound) {
                // Try the next name; the reason below names them all.
            }
        }
        if (lookup == null) {
            throw new Unavailable("ISA-L (" + String.join(" or ", LIBRARIES) + ") not found: " + INSTALL);
        }
        Optional<MemorySegment> symbol = lookup.find(SYMBOL);
        if (symbol.isEmpty()) {
            throw new Unavailable("ISA-L has no " + SYMBOL + " (ISA-L 2.22 or later has it): " + INSTALL);
        }
        FunctionDescriptor signature = FunctionDescriptor.of(ValueLayout.JAVA_SHORT,
                ValueLayout.JAVA_SHORT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
        return Linker.nativeLinker().downcallHandle(symbol.get(), signature, Linker.Option.critical(true));
    }

    /** The published check value, through a heap segment as the engine passes them; {@code null} if it holds. */
    private static String check(MethodHandle handle) {
        byte[] input = "123456789".getBytes(StandardCharsets.US_ASCII);
        int got;
        try {
            got = ((short) handle.invokeExact((short) 0, MemorySegment.ofArray(input), (long) input.length)) & 0xFFFF;
        } catch (Throwable t) {
            return SYMBOL + " failed on the check value: " + t;
        }
        return got == 0xD0DB ? null
                : SYMBOL + " returned 0x" + Integer.toHexString(got) + " for \"123456789\", not 0xd0db";
    }

    /** Why ISA-L cannot be bound, in words for the debug log and {@code Implementation.unavailableReason()}. */
    private static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message, null, false, false);
        }
    }
}
