package io.staleguard.device.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.integrity.Crc16T10Dif.Implementation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every CRC-16/T10-DIF implementation against the slicing-by-16 reference (and a bitwise one): random data,
 * offsets, lengths and running CRCs, with lengths around the interleaved engine's 512-byte blocks and 16-byte
 * steps, in arrays and in every kind of buffer. Seeded: {@code -Dstaleguard.seed=0x...} replays a failure.
 */
class Crc16ImplementationsTest {

    private static final long SEED = Long.getLong("staleguard.seed", 0xC16_7E57L);
    private static final String REPRODUCE = "reproduce: mvn -B -o -q test -pl device-backend"
            + " -Dtest=Crc16ImplementationsTest -Dstaleguard.seed=0x" + Long.toHexString(SEED);

    /** The implementations this JVM can run (ISA-L only in the multi-release jar on JDK 22+). */
    private static List<Implementation> runnable() {
        return Arrays.stream(Implementation.values()).filter(Implementation::available).toList();
    }

    @ParameterizedTest
    @EnumSource(value = Implementation.class, names = {"SLICING_BY_16", "INTERLEAVED"})
    void pureJavaImplementationsRunEverywhere(Implementation impl) {
        assertThat(impl.available()).isTrue();
        assertThat(impl.unavailableReason()).isEmpty();
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(impl.update(0, check, 0, check.length)).isEqualTo(Crc16T10Dif.CHECK);
    }

    @Test
    void everyRunnableImplementationMatchesTheReferenceOnRandomRanges() {
        SplittableRandom random = new SplittableRandom(SEED);
        byte[] data = new byte[20_000];
        random.nextBytes(data);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).clear();
        ByteBuffer heap = ByteBuffer.wrap(data);
        ByteBuffer sliced = ByteBuffer.wrap(data, 5, data.length - 5).slice();
        ByteBuffer readOnly = heap.asReadOnlyBuffer();
        ByteBuffer directReadOnly = direct.asReadOnlyBuffer();
        List<Implementation> impls = runnable();
        for (int round = 0; round < 3000; round++) {
            int len = length(random, round);
            int off = random.nextInt(0, data.length - 5 - len + 1);
            // Any int: an implementation must use only the low 16 bits of the running CRC.
            int crc = round % 3 == 0 ? 0 : random.nextInt();
            String where = "round " + round + " crc 0x" + Integer.toHexString(crc) + " off " + off + " len " + len
                    + "; " + REPRODUCE;
            int expected = Implementation.SLICING_BY_16.update(crc, data, off, len);
            if (round < 300) {
                assertThat(expected).as("slicing-by-16 against bitwise, " + where)
                        .isEqualTo(bitwise(crc, data, off, len));
            }
            int expectedSliced = Implementation.SLICING_BY_16.update(crc, data, off + 5, len);
            for (Implementation impl : impls) {
                String as = impl + ", " + where;
                assertThat(impl.update(crc, data, off, len)).as(as + " (array)").isEqualTo(expected);
                assertThat(impl.update(crc, heap, off, len)).as(as + " (heap)").isEqualTo(expected);
                assertThat(impl.update(crc, direct, off, len)).as(as + " (direct)").isEqualTo(expected);
                assertThat(impl.update(crc, readOnly, off, len)).as(as + " (read-only)").isEqualTo(expected);
                assertThat(impl.update(crc, directReadOnly, off, len)).as(as + " (direct read-only)")
                        .isEqualTo(expected);
                assertThat(impl.update(crc, sliced, off, len)).as(as + " (sliced)").isEqualTo(expectedSliced);
            }
            assertThat(Crc16T10Dif.update(crc, data, off, len)).as("selected, " + where).isEqualTo(expected);
            assertThat(Crc16T10Dif.update(crc, direct, off, len)).as("selected direct, " + where)
                    .isEqualTo(expected);
        }
    }

    /** Mostly the edges: 0..40, a 512-byte block or a 16-byte step either side, 4 KiB intervals, then anything. */
    private static int length(SplittableRandom random, int round) {
        if (round <= 40) {
            return round;
        }
        return switch (random.nextInt(5)) {
            case 0 -> Math.max(0, 512 * random.nextInt(1, 17) + random.nextInt(-17, 18));
            case 1 -> 16 * random.nextInt(0, 600);
            case 2 -> 4096 * random.nextInt(1, 4);
            default -> random.nextInt(0, 9001);
        };
    }

    @Test
    void chainingAtEverySplitGivesTheWholeCrc() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        byte[] data = new byte[4096 + 520];
        random.nextBytes(data);
        int whole = Implementation.SLICING_BY_16.update(0, data, 0, data.length);
        for (Implementation impl : runnable()) {
            for (int split = 0; split <= data.length; split += 13) {
                int first = impl.update(0, data, 0, split);
                assertThat(impl.update(first, data, split, data.length - split))
                        .as("%s split %d; %s", impl, split, REPRODUCE).isEqualTo(whole);
            }
        }
    }

    @Test
    void zeroBlocksHaveAZeroGuardAndOneBitIsSeenAnywhere() {
        byte[] zeros = new byte[8192];
        for (Implementation impl : runnable()) {
            assertThat(impl.update(0, zeros, 0, zeros.length)).as(impl.name()).isZero();
        }
        // A bit flipped in each lane, and at the ends of blocks, changes the guard (single-bit errors always do).
        int clean = Implementation.SLICING_BY_16.update(0, zeros, 0, 4096);
        for (int at : new int[] {0, 127, 128, 255, 256, 383, 384, 511, 512, 4095}) {
            zeros[at] = 1;
            for (Implementation impl : runnable()) {
                assertThat(impl.update(0, zeros, 0, 4096)).as("%s flip at %d", impl, at)
                        .isNotEqualTo(clean)
                        .isEqualTo(bitwise(0, zeros, 0, 4096));
            }
            zeros[at] = 0;
        }
    }

    @Test
    void theSelectedImplementationIsRunnableAndIsaLSaysWhyNotWhenItIsNot() {
        assertThat(Crc16T10Dif.implementation().available()).isTrue();
        List<Implementation> notHere = new ArrayList<>(Arrays.asList(Implementation.values()));
        notHere.removeAll(runnable());
        assertThat(notHere).isSubsetOf(Implementation.ISA_L);
        if (!Implementation.ISA_L.available()) {
            assertThat(Crc16T10Dif.implementation()).isEqualTo(Implementation.INTERLEAVED);
            assertThat(Implementation.ISA_L.unavailableReason()).isNotBlank();
            byte[] b = new byte[16];
            assertThatThrownBy(() -> Implementation.ISA_L.update(0, b, 0, 16))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageStartingWith("ISA_L: ")
                    .hasMessageContaining(Implementation.ISA_L.unavailableReason());
        } else {
            assertThat(Crc16T10Dif.implementation()).isEqualTo(Implementation.ISA_L);
        }
    }

    @Test
    void badRangesAreRejectedByEveryImplementation() {
        byte[] b = new byte[10];
        ByteBuffer d = ByteBuffer.allocateDirect(10);
        for (Implementation impl : runnable()) {
            assertThatThrownBy(() -> impl.update(0, b, 5, 6)).as(impl.name())
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> impl.update(0, b, -1, 2)).as(impl.name())
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> impl.update(0, d, 8, 3)).as(impl.name())
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> impl.update(0, d.limit(4), 0, 5)).as(impl.name())
                    .isInstanceOf(IndexOutOfBoundsException.class);
            d.clear();
        }
    }

    private static int bitwise(int crc, byte[] b, int off, int len) {
        int c = crc & 0xFFFF;
        for (int i = off; i < off + len; i++) {
            c ^= (b[i] & 0xFF) << 8;
            for (int bit = 0; bit < 8; bit++) {
                c = (c & 0x8000) != 0 ? ((c << 1) ^ 0x8BB7) & 0xFFFF : (c << 1) & 0xFFFF;
            }
        }
        return c;
    }
}
