package io.staleguard.device.integrity.internal;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;

/**
 * CRC-16/T10-DIF by ISA-L's {@code crc16_t10dif} (carry-less multiplication, folding 128 bytes per step). The
 * handle is a static final so that the JIT links the downcall directly; the segments made per call do not escape
 * and are scalar-replaced. Only in the multi-release jar's JDK 22 classes; made only when {@link IsalBinding}
 * bound the function.
 */
final class IsalCrc16 implements Crc16Engine {

    static final IsalCrc16 INSTANCE = new IsalCrc16();

    private static final MethodHandle CRC16 = IsalBinding.handle();

    private IsalCrc16() {
    }

    @Override
    public int update(int crc, byte[] b, int off, int len) {
        return call(crc, MemorySegment.ofArray(b).asSlice(off, len), len);
    }

    @Override
    public int update(int crc, ByteBuffer buf, int off, int len) {
        return call(crc, MemorySegment.ofBuffer(buf.slice(off, len)), len);
    }

    private static int call(int crc, MemorySegment data, long len) {
        try {
            return ((short) CRC16.invokeExact((short) crc, data, len)) & 0xFFFF;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            // crc16_t10dif neither fails nor calls back; only a JVM error can get here.
            throw new IllegalStateException("ISA-L crc16_t10dif failed", t);
        }
    }
}
