package io.staleguard.device.file.internal;

import jnr.posix.Linux;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/** The native jnr-posix binding, loaded once. */
public final class NativePosix {

    private static volatile POSIX posix;

    private NativePosix() {
    }

    /** The native POSIX interface; fails clearly when the native library cannot be loaded. */
    public static POSIX get() {
        POSIX p = posix;
        if (p == null) {
            synchronized (NativePosix.class) {
                p = posix;
                if (p == null) {
                    p = POSIXFactory.getNativePOSIX();
                    if (!p.isNative()) {
                        throw new UnsupportedOperationException("jnr-posix could not load its native library on "
                                + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
                    }
                    posix = p;
                }
            }
        }
        return p;
    }

    /** The Linux extensions (posix_fadvise). */
    public static Linux linux() {
        POSIX p = get();
        if (!(p instanceof Linux l)) {
            throw new UnsupportedOperationException("posix_fadvise needs Linux; running on " + System.getProperty("os.name"));
        }
        return l;
    }
}
