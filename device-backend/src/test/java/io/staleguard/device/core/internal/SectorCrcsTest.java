package io.staleguard.device.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class SectorCrcsTest {

    private static long crc32c(byte[] a, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(a, off, len);
        return c.getValue();
    }

    @Test
    void eachSectorIsTheJdksCrc32c() {
        byte[] a = new byte[4096];
        new SplittableRandom(1).nextBytes(a);
        int[] out = new int[8];
        SectorCrcs.sectors(a, 0, 8, out, 0);
        for (int s = 0; s < 8; s++) {
            assertThat(out[s] & 0xFFFF_FFFFL).as("sector %d", s).isEqualTo(crc32c(a, s * 512, 512));
        }
    }

    @Test
    void theCombinedSectorsAreTheBlocksCrc32c() {
        long seed = 0x5EC70A5L;
        SplittableRandom r = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++) {
            int sectors = 1 + r.nextInt(16);
            int off = r.nextInt(64);
            byte[] a = new byte[off + sectors * 512];
            r.nextBytes(a);
            if (round % 7 == 0) {
                java.util.Arrays.fill(a, (byte) 0); // zeros, the oracle's and the media's initial content
            }
            int[] crcs = new int[sectors + 3];
            SectorCrcs.sectors(a, off, sectors, crcs, 3);
            assertThat(SectorCrcs.combined(crcs, 3, sectors))
                    .as("round %d, %d sectors (seed 0x%x)", round, sectors, seed)
                    .isEqualTo(crc32c(a, off, sectors * 512));
        }
    }

    @Test
    void theCheckValueOfCrc32cIsReachedThroughTheCombination() {
        // CRC-32C's published check value is that of "123456789"; a sector of that string padded with zeros
        // combined with a zero sector must equal the JDK's CRC of the two sectors.
        byte[] a = new byte[1024];
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(check, 0, a, 0, check.length);
        assertThat(crc32c(check, 0, check.length)).isEqualTo(0xE3069283L);
        int[] crcs = new int[2];
        SectorCrcs.sectors(a, 0, 2, crcs, 0);
        assertThat(SectorCrcs.combined(crcs, 0, 2)).isEqualTo(crc32c(a, 0, 1024));
    }
}
