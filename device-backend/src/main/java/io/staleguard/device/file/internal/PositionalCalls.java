package io.staleguard.device.file.internal;

import java.nio.ByteBuffer;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * pread(2) and pwrite(2) on a native address, bound through jnr-ffi with primitive arguments only.
 *
 * <p>jnr-posix's {@code pread(int, ByteBuffer, ...)} asks the JVM for the buffer's address through JNI
 * ({@code GetDirectBufferAddress}, after an {@code IsInstanceOf}) on every call: on a loop device that
 * was about 0.5 µs of a 20 µs verified operation, measured with async-profiler. The backend's scratch
 * buffers live as long as their thread, so their address is looked up once, when they are made
 * ({@link #address(ByteBuffer)}), and each call passes it as a number. Public for the benchmarks' Java
 * floor, which makes the same calls with nothing checked.
 */
public final class PositionalCalls {

    /** The C library's two calls; {@code long} for the pointer, {@code size_t} and {@code off_t} (LP64). */
    public interface LibC {
        /** pread(2). */
        long pread(int fd, long buf, long count, long offset);

        /** pwrite(2). */
        long pwrite(int fd, long buf, long count, long offset);
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getSystemRuntime();

    private PositionalCalls() {
    }

    /** pread(2) of {@code count} bytes into native memory at {@code address}. */
    public static long pread(int fd, long address, long count, long offset) {
        return LIBC.pread(fd, address, count, offset);
    }

    /** pwrite(2) of {@code count} bytes from native memory at {@code address}. */
    public static long pwrite(int fd, long address, long count, long offset) {
        return LIBC.pwrite(fd, address, count, offset);
    }

    /** The errno the last call on this thread saved (jnr-ffi saves it right after each call). */
    public static int errno() {
        return LastError.getLastError(RUNTIME);
    }

    /** The native address of a direct buffer's first byte (index 0, not its position). */
    public static long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("native I/O needs a direct buffer, got " + direct);
        }
        return com.kenai.jffi.MemoryIO.getInstance().getDirectBufferAddress(direct);
    }
}
