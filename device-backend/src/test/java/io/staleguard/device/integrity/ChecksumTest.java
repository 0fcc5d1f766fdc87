package io.staleguard.device.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChecksumTest {

    private static final byte[] CHECK_INPUT = "123456789".getBytes(StandardCharsets.US_ASCII);
    private static final long SEED = 0x5EED_1D1FL;

    @Test
    void publishedCheckValues() {
        assertThat(Crc16T10Dif.compute(CHECK_INPUT, 0, 9)).isEqualTo(0xD0DB).isEqualTo(Crc16T10Dif.CHECK);
        assertThat(Crc64Nvme.compute(CHECK_INPUT, 0, 9)).isEqualTo(0xAE8B14860A799888L).isEqualTo(Crc64Nvme.CHECK);
        assertThat(Crc32c.compute(CHECK_INPUT, 0, 9)).isEqualTo(0xE3069283L).isEqualTo(Crc32c.CHECK & 0xFFFFFFFFL);
        // The check values also hold for the bit-at-a-time references, so those are trustworthy.
        assertThat(BitwiseReference.crc16T10Dif(CHECK_INPUT, 0, 9)).isEqualTo(0xD0DB);
        assertThat(BitwiseReference.crc64Nvme(CHECK_INPUT, 0, 9)).isEqualTo(0xAE8B14860A799888L);
        assertThat(BitwiseReference.crc32c(CHECK_INPUT, 0, 9)).isEqualTo(0xE3069283L);
    }

    @Test
    void ipChecksumRfc1071Example() {
        // RFC 1071 section 3: words 0001 f203 f4f5 f6f7 sum to 0xddf2; the checksum is its complement.
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertThat(IpChecksum.compute(b, 0, b.length)).isEqualTo(~0xDDF2 & 0xFFFF).isEqualTo(0x220D);
        assertThat(BitwiseReference.ipChecksum(b, 0, b.length)).isEqualTo(0x220D);
    }

    @Test
    void ipChecksumOddLengthPadsTheLastByteAsHighByte() {
        byte[] b = {0x12, 0x34, 0x56};
        // 0x1234 + 0x5600 = 0x6834, complement 0x97CB
        assertThat(IpChecksum.compute(b, 0, 3)).isEqualTo(0x97CB);
    }

    @Test
    void ipChecksumEndAroundCarry() {
        byte[] b = {(byte) 0xFF, (byte) 0xFF, 0x00, 0x02};
        // 0xFFFF + 0x0002 = 0x10001 -> 0x0002, complement 0xFFFD
        assertThat(IpChecksum.compute(b, 0, 4)).isEqualTo(0xFFFD);
    }

    @Test
    void zeroBlockVectors() {
        for (int size : new int[] {512, 4096}) {
            byte[] zeros = new byte[size];
            assertThat(Crc16T10Dif.compute(zeros, 0, size)).isZero()
                    .isEqualTo(BitwiseReference.crc16T10Dif(zeros, 0, size));
            assertThat(IpChecksum.compute(zeros, 0, size)).isEqualTo(0xFFFF)
                    .isEqualTo(BitwiseReference.ipChecksum(zeros, 0, size));
            assertThat(Crc32c.compute(zeros, 0, size)).isEqualTo(BitwiseReference.crc32c(zeros, 0, size));
            assertThat(Crc64Nvme.compute(zeros, 0, size)).isEqualTo(BitwiseReference.crc64Nvme(zeros, 0, size));
        }
        // Published: NVM Command Set Specification 1.0a, 5.2.1.3.5 "64b CRC Test Cases" (4 KiB of zeros).
        assertThat(Crc64Nvme.compute(new byte[4096], 0, 4096)).isEqualTo(0x6482D367EB22B64EL);
        // Published: RFC 3720 B.4, 32 bytes of zeros.
        assertThat(Crc32c.compute(new byte[32], 0, 32)).isEqualTo(0x8A9136AAL);
        // Published (aws-checksums test vectors): CRC-64/NVME of 32 zeros.
        assertThat(Crc64Nvme.compute(new byte[32], 0, 32)).isEqualTo(0xCF3473434D4ECF3BL);
    }

    @Test
    void nvmeSpecCrc64TestCases() {
        byte[] ones = new byte[4096];
        Arrays.fill(ones, (byte) 0xFF);
        byte[] inc = new byte[4096];
        byte[] dec = new byte[4096];
        for (int i = 0; i < 4096; i++) {
            inc[i] = (byte) i;
            dec[i] = (byte) (0xFF - (i & 0xFF));
        }
        assertThat(Crc64Nvme.compute(ones, 0, 4096)).isEqualTo(0xC0DDBA7302ECA3ACL);
        assertThat(Crc64Nvme.compute(inc, 0, 4096)).isEqualTo(0x3E729F5F6750449CL);
        assertThat(Crc64Nvme.compute(dec, 0, 4096)).isEqualTo(0x9A2DF64B8E9E517EL);
    }

    @Test
    void rfc3720Crc32cTestCases() {
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) 0xFF);
        byte[] inc = new byte[32];
        byte[] dec = new byte[32];
        for (int i = 0; i < 32; i++) {
            inc[i] = (byte) i;
            dec[i] = (byte) (31 - i);
        }
        assertThat(Crc32c.compute(ones, 0, 32)).isEqualTo(0x62A8AB43L);
        assertThat(Crc32c.compute(inc, 0, 32)).isEqualTo(0x46DD794EL);
        assertThat(Crc32c.compute(dec, 0, 32)).isEqualTo(0x113FDB5CL);
    }

    @Test
    void tableImplementationsMatchBitwiseReferenceOnRandomRanges() {
        SplittableRandom random = new SplittableRandom(SEED);
        byte[] data = new byte[9000];
        random.nextBytes(data);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).clear();
        ByteBuffer heap = ByteBuffer.wrap(data);
        // A heap buffer with a non-zero array offset and a read-only one (no accessible array).
        ByteBuffer sliced = ByteBuffer.wrap(data, 7, data.length - 7).slice();
        ByteBuffer readOnly = heap.asReadOnlyBuffer();
        for (int round = 0; round < 400; round++) {
            int len = round < 40 ? round : random.nextInt(0, 4200);
            int off = random.nextInt(0, data.length - 7 - len + 1);
            String where = "seed " + SEED + " round " + round + " off " + off + " len " + len;

            int crc16 = BitwiseReference.crc16T10Dif(data, off, len);
            assertThat(Crc16T10Dif.compute(data, off, len)).as(where).isEqualTo(crc16);
            assertThat(Crc16T10Dif.compute(direct, off, len)).as(where).isEqualTo(crc16);
            assertThat(Crc16T10Dif.compute(heap, off, len)).as(where).isEqualTo(crc16);
            assertThat(Crc16T10Dif.compute(readOnly, off, len)).as(where).isEqualTo(crc16);
            assertThat(Crc16T10Dif.compute(sliced, off, len)).as(where)
                    .isEqualTo(BitwiseReference.crc16T10Dif(data, off + 7, len));

            long crc64 = BitwiseReference.crc64Nvme(data, off, len);
            assertThat(Crc64Nvme.compute(data, off, len)).as(where).isEqualTo(crc64);
            assertThat(Crc64Nvme.compute(direct, off, len)).as(where).isEqualTo(crc64);
            assertThat(Crc64Nvme.compute(readOnly, off, len)).as(where).isEqualTo(crc64);
            assertThat(Crc64Nvme.compute(sliced, off, len)).as(where)
                    .isEqualTo(BitwiseReference.crc64Nvme(data, off + 7, len));

            int ip = BitwiseReference.ipChecksum(data, off, len);
            assertThat(IpChecksum.compute(data, off, len)).as(where).isEqualTo(ip);
            assertThat(IpChecksum.compute(direct, off, len)).as(where).isEqualTo(ip);
            assertThat(IpChecksum.compute(readOnly, off, len)).as(where).isEqualTo(ip);
            assertThat(IpChecksum.compute(sliced, off, len)).as(where)
                    .isEqualTo(BitwiseReference.ipChecksum(data, off + 7, len));

            long crc32c = BitwiseReference.crc32c(data, off, len);
            assertThat(Crc32c.compute(data, off, len)).as(where).isEqualTo(crc32c);
            assertThat(Crc32c.compute(direct, off, len)).as(where).isEqualTo(crc32c);
            assertThat(Crc32c.compute(readOnly, off, len)).as(where).isEqualTo(crc32c);
        }
    }

    @Test
    void updateChainsAcrossSplitPoints() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        byte[] data = new byte[1500];
        random.nextBytes(data);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).clear();
        int whole16 = Crc16T10Dif.compute(data, 0, data.length);
        long whole64 = Crc64Nvme.compute(data, 0, data.length);
        long wholeIp = IpChecksum.partial(0, data, 0, data.length);
        for (int split = 0; split <= data.length; split += 37) {
            int rest = data.length - split;
            assertThat(Crc16T10Dif.update(Crc16T10Dif.compute(data, 0, split), data, split, rest))
                    .as("split %d", split).isEqualTo(whole16);
            assertThat(Crc16T10Dif.update(Crc16T10Dif.compute(direct, 0, split), direct, split, rest))
                    .as("split %d", split).isEqualTo(whole16);
            assertThat(Crc64Nvme.update(Crc64Nvme.compute(data, 0, split), data, split, rest))
                    .as("split %d", split).isEqualTo(whole64);
            assertThat(Crc64Nvme.update(Crc64Nvme.compute(direct, 0, split), direct, split, rest))
                    .as("split %d", split).isEqualTo(whole64);
            if (split % 2 == 0) {
                long chained = IpChecksum.partial(IpChecksum.partial(0, direct, 0, split), data, split, rest);
                assertThat(IpChecksum.finish(chained)).as("split %d", split).isEqualTo(IpChecksum.finish(wholeIp));
            }
        }
    }

    @Test
    void buffersKeepPositionLimitAndOrder() {
        ByteBuffer direct = ByteBuffer.allocateDirect(4096);
        direct.position(100).limit(3000).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        Crc16T10Dif.compute(direct, 0, 2000);
        Crc64Nvme.compute(direct, 0, 2000);
        IpChecksum.compute(direct, 0, 2000);
        Crc32c.compute(direct, 0, 2000);
        assertThat(direct.position()).isEqualTo(100);
        assertThat(direct.limit()).isEqualTo(3000);
        assertThat(direct.order()).isEqualTo(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void outOfRangeIsRejected() {
        byte[] b = new byte[10];
        assertThatThrownBy(() -> Crc16T10Dif.compute(b, 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Crc64Nvme.compute(ByteBuffer.allocateDirect(10), -1, 2))
                .isInstanceOf(IndexOutOfBoundsException.class);
        // Beyond the limit, even if within capacity.
        assertThatThrownBy(() -> IpChecksum.compute(ByteBuffer.allocate(10).limit(4), 0, 6))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
