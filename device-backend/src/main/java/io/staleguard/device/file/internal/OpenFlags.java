package io.staleguard.device.file.internal;

import java.util.Locale;

/**
 * The Linux open(2) flags this backend needs. jnr-posix 3.1 has no O_DIRECT constant, and its
 * value differs by architecture, so it is defined here per architecture and refused elsewhere.
 */
public final class OpenFlags {

    /** O_RDONLY. */
    public static final int O_RDONLY = 0;
    /** O_RDWR. */
    public static final int O_RDWR = 0x2;
    /** O_CREAT (same on x86-64 and aarch64). */
    public static final int O_CREAT = 0x40;
    /** O_CLOEXEC (same on x86-64 and aarch64): tools we spawn must not inherit device descriptors. */
    public static final int O_CLOEXEC = 0x80000;

    private OpenFlags() {
    }

    /**
     * O_DIRECT for the running architecture.
     *
     * @throws UnsupportedOperationException naming the architecture when it is not known
     */
    public static int oDirect() {
        return oDirect(System.getProperty("os.arch", ""));
    }

    /** O_DIRECT for the given {@code os.arch} value. */
    public static int oDirect(String arch) {
        return switch (arch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> 0x4000;
            case "aarch64", "arm64" -> 0x10000;
            default -> throw new UnsupportedOperationException("O_DIRECT: unknown architecture '" + arch
                    + "' (known: amd64/x86_64 = 0x4000, aarch64 = 0x10000); use IoMode.BUFFERED or add the constant");
        };
    }
}
