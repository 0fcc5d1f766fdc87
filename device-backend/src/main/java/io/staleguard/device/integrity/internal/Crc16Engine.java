package io.staleguard.device.integrity.internal;

import java.nio.ByteBuffer;

/**
 * One implementation of CRC-16/T10-DIF (polynomial 0x8BB7, initial value 0, not reflected, no final xor).
 * Callers check the bounds first, so an engine trusts {@code off} and {@code len}; results are in the low 16 bits.
 */
public interface Crc16Engine {

    /** Continues {@code crc} over {@code b[off, off+len)}. */
    int update(int crc, byte[] b, int off, int len);

    /**
     * Continues {@code crc} over {@code buf[off, off+len)}, absolute indexes, for buffers without an accessible
     * array (direct and read-only ones); position, limit and order are neither used nor changed.
     */
    int update(int crc, ByteBuffer buf, int off, int len);
}
