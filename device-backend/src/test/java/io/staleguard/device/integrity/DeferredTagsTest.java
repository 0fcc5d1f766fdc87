package io.staleguard.device.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ProtectionInformation#deferredTags}, which the device uses when it has hashed a write's data itself,
 * writes the application and reference tags an eager {@link ProtectionInformation#generate} writes, and a guard
 * of 0 for the store to replace, for every format.
 */
class DeferredTagsTest {

    private static final long SEED = 0x7A65_0001L;
    private static final int BS = 4096;

    @Test
    void theTagsOfAnEagerGenerateForEveryFormat() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (ProtectionFormat f : ProtectionFormat.known()) {
            for (int round = 0; round < 20; round++) {
                int n = 1 + random.nextInt(8);
                long lba = random.nextLong(1L << 40);
                long initialRef = random.nextLong(1L << 33);
                int appTag = random.nextInt(0x10000);
                byte[] data = new byte[n * BS];
                random.nextBytes(data);
                byte[] eager = new byte[n * f.tupleSize() + 3];
                ProtectionInformation.generate(f, ByteBuffer.wrap(data), BS, lba, initialRef, appTag, eager, 3);
                byte[] got = new byte[n * f.tupleSize() + 3];
                ProtectionInformation.deferredTags(f, n, lba, initialRef, appTag, got, 3);
                GuardAlgorithm g = f.guard();
                for (int i = 0; i < n; i++) {
                    int at = 3 + i * f.tupleSize();
                    String where = String.format("%s, tuple %d of %d at LBA %d, initial ref tag %d (seed 0x%x)", f, i,
                            n, lba, initialRef, SEED);
                    if (!f.enabled()) {
                        continue;
                    }
                    assertThat(PiTuple.appTag(g, got, at)).as(where).isEqualTo(PiTuple.appTag(g, eager, at));
                    assertThat(PiTuple.refTag(g, got, at)).as(where).isEqualTo(PiTuple.refTag(g, eager, at));
                    assertThat(PiTuple.guard(g, got, at)).as(where).isZero();
                }
            }
        }
    }

    @Test
    void badArgumentsAreNamed() {
        ProtectionFormat f = ProtectionFormat.T10_DIF_TYPE1;
        assertThatThrownBy(() -> ProtectionInformation.deferredTags(f, -1, 0, 0, 0, new byte[8], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> ProtectionInformation.deferredTags(f, 1, 0, 0, 0x10000, new byte[8], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x10000");
        assertThatThrownBy(() -> ProtectionInformation.deferredTags(f, 2, 0, 0, 0, new byte[8], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too short");
    }
}
