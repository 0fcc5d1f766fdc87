package io.staleguard.device.core.internal;

/**
 * What an injected fault makes of a write at submission: it fails with nothing moved
 * ({@link #fail}), or it moves only its first bytes and returns their count ({@link #cut}).
 */
public final class WriteFault {

    /** Bytes the write keeps; -1 when it fails. */
    final int keep;
    /** The failing write's message ({@code "Input/output error"}), null for a cut. */
    final String message;
    /** The error in words for the short-transfer tracker ({@code "injected partial-write, fault #3 at t=41"}). */
    final String cause;

    private WriteFault(int keep, String message, String cause) {
        this.keep = keep;
        this.message = message;
        this.cause = cause;
    }

    /**
     * The write fails with {@code IOException(message)}; nothing of it moves. {@code cause} names the fault for
     * the short-transfer tracker ({@code "injected partial-write, fault #3 at t=41"}).
     */
    public static WriteFault fail(String message, String cause) {
        return new WriteFault(-1, java.util.Objects.requireNonNull(message, "message"), cause);
    }

    /** The write moves only its first {@code bytes} bytes (at least 1) and returns that count. */
    public static WriteFault cut(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("a cut write keeps at least 1 byte, was " + bytes);
        }
        return new WriteFault(bytes, null, null);
    }

    /** Whether the write fails with nothing moved. */
    public boolean fails() {
        return keep < 0;
    }

    /** The bytes a cut write keeps (-1 when it fails). */
    public int keep() {
        return keep;
    }

    @Override
    public String toString() {
        return keep < 0 ? "fail: " + message : "cut to " + keep + " bytes";
    }
}
