package io.staleguard.device.integrity;

/**
 * Independent, deliberately naive reference implementations (one bit at a time, one 16-bit word
 * at a time) that the table-driven production code is checked against.
 */
final class BitwiseReference {

    private BitwiseReference() {
    }

    static int crc16T10Dif(byte[] b, int off, int len) {
        int crc = 0;
        for (int i = off; i < off + len; i++) {
            crc ^= (b[i] & 0xFF) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x8BB7) & 0xFFFF : (crc << 1) & 0xFFFF;
            }
        }
        return crc;
    }

    static long crc64Nvme(byte[] b, int off, int len) {
        long crc = -1L;
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9A6C9329AC4BC9B5L : crc >>> 1;
            }
        }
        return ~crc;
    }

    static long crc32c(byte[] b, int off, int len) {
        int crc = -1;
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
            }
        }
        return ~crc & 0xFFFFFFFFL;
    }

    /** RFC 1071 verbatim: big-endian 16-bit words, end-around carry after each add, complement. */
    static int ipChecksum(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) {
            int word = (b[off + i] & 0xFF) << 8;
            if (i + 1 < len) {
                word |= b[off + i + 1] & 0xFF;
            }
            sum += word;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }
}
