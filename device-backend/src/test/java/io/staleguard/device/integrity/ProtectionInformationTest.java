package io.staleguard.device.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.ViolationKind;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProtectionInformationTest {

    private static final long SEED = 0xD1F_0002L;
    private static final ProtectionFormat NVME_CRC64_TYPE2 =
            new ProtectionFormat("NVME_CRC64_TYPE2", GuardAlgorithm.CRC64_NVME, PiType.TYPE2);
    private static final ProtectionFormat NVME_CRC64_TYPE3 =
            new ProtectionFormat("NVME_CRC64_TYPE3", GuardAlgorithm.CRC64_NVME, PiType.TYPE3);
    private static final ProtectionFormat NVME_CRC32C_TYPE3 =
            new ProtectionFormat("NVME_CRC32C_TYPE3", GuardAlgorithm.CRC32C, PiType.TYPE3);
    private static final ProtectionFormat DIX_IP_TYPE3 =
            new ProtectionFormat("DIX_IP_TYPE3", GuardAlgorithm.IP_CHECKSUM, PiType.TYPE3);

    static ProtectionFormat[] formats() {
        return new ProtectionFormat[] {
            ProtectionFormat.T10_DIF_TYPE1, ProtectionFormat.T10_DIF_TYPE2, ProtectionFormat.T10_DIF_TYPE3,
            ProtectionFormat.DIX_IP_TYPE1, DIX_IP_TYPE3, ProtectionFormat.NVME_CRC32C_TYPE1, NVME_CRC32C_TYPE3,
            ProtectionFormat.NVME_CRC64_TYPE1, NVME_CRC64_TYPE2, NVME_CRC64_TYPE3
        };
    }

    static ProtectionFormat[] type3Formats() {
        return new ProtectionFormat[] {ProtectionFormat.T10_DIF_TYPE3, DIX_IP_TYPE3, NVME_CRC32C_TYPE3, NVME_CRC64_TYPE3};
    }

    private static ByteBuffer randomData(int intervals, int interval, boolean direct, long seed) {
        byte[] b = new byte[intervals * interval];
        new SplittableRandom(seed).nextBytes(b);
        ByteBuffer buf = direct ? ByteBuffer.allocateDirect(b.length) : ByteBuffer.allocate(b.length);
        return buf.put(b).clear();
    }

    private static byte[] generate(ProtectionFormat f, ByteBuffer data, int interval, long lba, long ref, int app) {
        byte[] tuples = new byte[data.remaining() / interval * f.tupleSize()];
        ProtectionInformation.generate(f, data, interval, lba, ref, app, tuples, 0);
        return tuples;
    }

    @Test
    void t10TupleLayoutIsBigEndianGuardAppRef() {
        ByteBuffer data = randomData(3, 512, false, SEED);
        byte[] t = generate(ProtectionFormat.T10_DIF_TYPE1, data, 512, 0x1_2345_6700L, 0, 0xBEEF);
        for (int i = 0; i < 3; i++) {
            int guard = Crc16T10Dif.compute(data, i * 512, 512);
            long ref = 0x2345_6700L + i; // low 32 bits of the LBA
            byte[] expected = {
                (byte) (guard >>> 8), (byte) guard, (byte) 0xBE, (byte) 0xEF,
                (byte) (ref >>> 24), (byte) (ref >>> 16), (byte) (ref >>> 8), (byte) ref
            };
            assertThat(java.util.Arrays.copyOfRange(t, i * 8, i * 8 + 8)).as("tuple %d", i).containsExactly(expected);
        }
    }

    @Test
    void nvmeTupleLayouts() {
        ByteBuffer data = randomData(2, 4096, true, SEED);
        byte[] t32 = generate(ProtectionFormat.NVME_CRC32C_TYPE1, data, 4096, 0x1_0000_0007L, 0, 0x0102);
        long crc32 = Crc32c.compute(data, 4096, 4096);
        // second tuple: guard32, app16, 48-bit storage tag (0), ref32 = low 32 bits of LBA 0x1_0000_0008
        assertThat(java.util.Arrays.copyOfRange(t32, 16, 32)).containsExactly(
                (byte) (crc32 >>> 24), (byte) (crc32 >>> 16), (byte) (crc32 >>> 8), (byte) crc32,
                1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8);

        byte[] t64 = generate(ProtectionFormat.NVME_CRC64_TYPE1, data, 4096, 0x1_0000_0007L, 0, 0x0102);
        long crc64 = Crc64Nvme.compute(data, 4096, 4096);
        byte[] expected = new byte[16];
        for (int k = 0; k < 8; k++) {
            expected[k] = (byte) (crc64 >>> (56 - 8 * k));
        }
        expected[8] = 1;
        expected[9] = 2;
        // 48-bit ref = 0x0001_0000_0008
        expected[11] = 1;
        expected[15] = 8;
        assertThat(java.util.Arrays.copyOfRange(t64, 16, 32)).containsExactly(expected);
        assertThat(PiTuple.guard(GuardAlgorithm.CRC64_NVME, t64, 16)).isEqualTo(crc64);
        assertThat(PiTuple.refTag(GuardAlgorithm.CRC64_NVME, t64, 16)).isEqualTo(0x1_0000_0008L);
    }

    @Test
    void type1RefTagIsTheLowBitsOfEachLba() {
        ByteBuffer data = randomData(4, 512, false, SEED);
        byte[] t = generate(ProtectionFormat.T10_DIF_TYPE1, data, 512, 0xFFFF_FFFEL, 777, 0);
        assertThat(refTags(GuardAlgorithm.CRC16_T10DIF, t, 4)).containsExactly(0xFFFF_FFFEL, 0xFFFF_FFFFL, 0L, 1L);
        assertThat(verify(ProtectionFormat.T10_DIF_TYPE1, data, 512, 0xFFFF_FFFEL, 0, t, 0, 0)).isNull();
        // The initial ref tag plays no part in Type 1.
        assertThat(verify(ProtectionFormat.T10_DIF_TYPE1, data, 512, 0xFFFF_FFFEL, 12345, t, 0, 0)).isNull();

        byte[] t64 = generate(ProtectionFormat.NVME_CRC64_TYPE1, data, 512, 0xFFFF_FFFF_FFFEL, 0, 0);
        assertThat(refTags(GuardAlgorithm.CRC64_NVME, t64, 4))
                .containsExactly(0xFFFF_FFFF_FFFEL, 0xFFFF_FFFF_FFFFL, 0L, 1L);
        byte[] t64b = generate(ProtectionFormat.NVME_CRC64_TYPE1, data, 512, 0x1_2345_6789L, 0, 0);
        assertThat(refTags(GuardAlgorithm.CRC64_NVME, t64b, 1)).containsExactly(0x1_2345_6789L);
    }

    @Test
    void type1MisdirectedWriteIsARefTagMismatch() {
        ByteBuffer data = randomData(4, 4096, true, SEED);
        byte[] t = generate(ProtectionFormat.T10_DIF_TYPE1, data, 4096, 200, 0, 0);
        TagMismatch m = verify(ProtectionFormat.T10_DIF_TYPE1, data, 4096, 100, 0, t, 0, 0);
        assertThat(m).isEqualTo(new TagMismatch(TagMismatch.Kind.REF_TAG, 0, 100, 100, 200));
        assertThat(verify(ProtectionFormat.T10_DIF_TYPE1, data, 4096, 200, 0, t, 0, 0)).isNull();
    }

    @Test
    void type2RefTagFollowsTheInitialRefTagNotTheLba() {
        ByteBuffer data = randomData(3, 512, false, SEED);
        byte[] t = generate(ProtectionFormat.T10_DIF_TYPE2, data, 512, 5000, 0xFFFF_FFFFL, 0);
        assertThat(refTags(GuardAlgorithm.CRC16_T10DIF, t, 3)).containsExactly(0xFFFF_FFFFL, 0L, 1L);
        // Any LBA: only the initial ref tag matters.
        assertThat(verify(ProtectionFormat.T10_DIF_TYPE2, data, 512, 9, 0xFFFF_FFFFL, t, 0, 0)).isNull();
        TagMismatch m = verify(ProtectionFormat.T10_DIF_TYPE2, data, 512, 9, 0xFFFF_FFFEL, t, 0, 0);
        assertThat(m).isEqualTo(new TagMismatch(TagMismatch.Kind.REF_TAG, 0, 9, 0xFFFF_FFFEL, 0xFFFF_FFFFL));

        byte[] t64 = generate(NVME_CRC64_TYPE2, data, 512, 0, 0x7_0000_0000L, 0);
        assertThat(refTags(GuardAlgorithm.CRC64_NVME, t64, 3)).containsExactly(0x7_0000_0000L, 0x7_0000_0001L,
                0x7_0000_0002L);
        assertThat(ViolationKind.of(verify(NVME_CRC64_TYPE2, data, 512, 0, 0x7_0000_0001L, t64, 0, 0).kind()))
                .isEqualTo(ViolationKind.REF_TAG);
    }

    @ParameterizedTest
    @MethodSource("type3Formats")
    void type3NeverChecksTheRefTag(ProtectionFormat f) {
        ByteBuffer data = randomData(3, 512, false, SEED);
        byte[] t = generate(f, data, 512, 0, 42, 0);
        assertThat(refTags(f.guard(), t, 3)).containsExactly(42L, 43L, 44L);
        assertThat(verify(f, data, 512, 1_000_000, 0, t, 0, 0)).isNull();
    }

    @ParameterizedTest
    @MethodSource("formats")
    void correctTwinPassesOnHeapDirectAndOffsetBuffers(ProtectionFormat f) {
        for (int interval : new int[] {512, 4096}) {
            for (boolean direct : new boolean[] {false, true}) {
                ByteBuffer whole = randomData(6, interval, direct, SEED + interval);
                // Data between position and limit only: intervals 1..4.
                ByteBuffer data = whole.duplicate().position(interval).limit(5 * interval);
                byte[] t = new byte[3 + 4 * f.tupleSize()];
                ProtectionInformation.generate(f, data, interval, 77, 99, 0x5A5A, t, 3);
                assertThat(data.position()).isEqualTo(interval);
                assertThat(verify(f, data, interval, 77, 99, t, 3, 0x5A5A))
                        .as("%s interval %d direct %b", f.name(), interval, direct).isNull();
                assertThat(PiTuple.guard(f.guard(), t, 3))
                        .isEqualTo(ProtectionInformation.guard(f, whole, interval, interval));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("formats")
    void bufferModifiedAfterGenerationIsAGuardMismatchAtThatInterval(ProtectionFormat f) {
        ByteBuffer data = randomData(5, 512, true, SEED);
        byte[] t = generate(f, data, 512, 1000, 1000, 0x0001);
        long stored = PiTuple.guard(f.guard(), t, 3 * f.tupleSize());
        // Write-after-checksum: one byte of interval 3 changes before the "DMA".
        data.put(3 * 512 + 17, (byte) (data.get(3 * 512 + 17) ^ 0x40));
        TagMismatch m = verify(f, data, 512, 1000, 1000, t, 0, 0x0001);
        assertThat(m).isNotNull();
        assertThat(ViolationKind.of(m.kind())).isEqualTo(ViolationKind.GUARD_TAG);
        assertThat(m.intervalIndex()).isEqualTo(3);
        assertThat(m.lba()).isEqualTo(1003);
        assertThat(m.expected()).isEqualTo(stored);
        assertThat(m.actual()).isEqualTo(ProtectionInformation.guard(f, data, 3 * 512, 512)).isNotEqualTo(stored);
    }

    @Test
    void firstMismatchIsReported() {
        ByteBuffer data = randomData(5, 512, false, SEED);
        byte[] t = generate(ProtectionFormat.T10_DIF_TYPE1, data, 512, 0, 0, 0);
        data.put(4 * 512, (byte) (data.get(4 * 512) + 1));
        data.put(2 * 512 + 511, (byte) (data.get(2 * 512 + 511) + 1));
        assertThat(verify(ProtectionFormat.T10_DIF_TYPE1, data, 512, 0, 0, t, 0, 0).intervalIndex()).isEqualTo(2);
    }

    @Test
    void appTagIsComparedUnderTheMask() {
        ByteBuffer data = randomData(3, 512, false, SEED);
        byte[] t = generate(ProtectionFormat.T10_DIF_TYPE1, data, 512, 0, 0, 0x1234);
        assertThat(ProtectionInformation.verify(ProtectionFormat.T10_DIF_TYPE1, data, 512, 0, 0, t, 0, 0x1234, 0xFFFF))
                .isNull();
        assertThat(ProtectionInformation.verify(ProtectionFormat.T10_DIF_TYPE1, data, 512, 0, 0, t, 0, 0x1235, 0xFFFF))
                .isEqualTo(new TagMismatch(TagMismatch.Kind.APP_TAG, 0, 0, 0x1235, 0x1234));
        // Only the masked bits count; mask 0 disables the check.
        assertThat(ProtectionInformation.verify(ProtectionFormat.T10_DIF_TYPE1, data, 512, 0, 0, t, 0, 0x12FF, 0xFF00))
                .isNull();
        assertThat(ProtectionInformation.verify(ProtectionFormat.T10_DIF_TYPE1, data, 512, 0, 0, t, 0, 0x0000, 0))
                .isNull();
        // One interval with another app tag: found at its index.
        PiTuple.encode(GuardAlgorithm.CRC16_T10DIF, t, 16, PiTuple.guard(GuardAlgorithm.CRC16_T10DIF, t, 16), 0x9999,
                2);
        TagMismatch m = ProtectionInformation.verify(ProtectionFormat.T10_DIF_TYPE1, data, 512, 0, 0, t, 0, 0x1234,
                0xFFFF);
        assertThat(m).isEqualTo(new TagMismatch(TagMismatch.Kind.APP_TAG, 2, 2, 0x1234, 0x9999));
    }

    @Test
    void checkOrderIsGuardThenAppThenRef() {
        ByteBuffer data = randomData(1, 512, false, SEED);
        byte[] t = generate(ProtectionFormat.T10_DIF_TYPE1, data, 512, 50, 0, 0x1111);
        // App and ref both wrong (expected 0x2222 and LBA 60): app is reported.
        assertThat(ViolationKind.of(ProtectionInformation.verify(ProtectionFormat.T10_DIF_TYPE1, data, 512, 60, 0, t, 0,
                0x2222, 0xFFFF).kind())).isEqualTo(ViolationKind.APP_TAG);
        // All three wrong: guard is reported.
        data.put(0, (byte) ~data.get(0));
        assertThat(ViolationKind.of(ProtectionInformation.verify(ProtectionFormat.T10_DIF_TYPE1, data, 512, 60, 0, t, 0,
                0x2222, 0xFFFF).kind())).isEqualTo(ViolationKind.GUARD_TAG);
    }

    @ParameterizedTest
    @MethodSource("formats")
    void appEscapeDisablesEveryCheckForTypes1And2(ProtectionFormat f) {
        if (f.type() == PiType.TYPE3) {
            return;
        }
        ByteBuffer data = randomData(2, 512, false, SEED);
        byte[] t = generate(f, data, 512, 10, 10, PiTuple.APP_ESCAPE);
        data.put(600, (byte) ~data.get(600));
        // Wrong guard, wrong ref (LBA/initial 99), wrong app expectation: all escaped.
        assertThat(ProtectionInformation.verify(f, data, 512, 99, 99, t, 0, 0x1234, 0xFFFF)).isNull();
        // The escape is per interval: a non-escaped interval next to it is still checked.
        byte[] mixed = generate(f, data, 512, 10, 10, 0x0007);
        System.arraycopy(t, 0, mixed, 0, f.tupleSize());
        data.put(0, (byte) ~data.get(0));
        assertThat(ProtectionInformation.verify(f, data, 512, 10, 10, mixed, 0, 0x0007, 0xFFFF)).isNull();
        data.put(513, (byte) ~data.get(513));
        assertThat(ProtectionInformation.verify(f, data, 512, 10, 10, mixed, 0, 0x0007, 0xFFFF).intervalIndex())
                .isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("type3Formats")
    void type3EscapeNeedsAppAndRefAllOnes(ProtectionFormat f) {
        long allOnes = PiTuple.refTagMask(f.guard());
        ByteBuffer data = randomData(1, 512, true, SEED);
        byte[] appOnly = generate(f, data, 512, 0, 0x1234, PiTuple.APP_ESCAPE);
        byte[] both = generate(f, data, 512, 0, allOnes, PiTuple.APP_ESCAPE);
        byte[] refOnly = generate(f, data, 512, 0, allOnes, 0x0000);
        assertThat(PiTuple.refTag(f.guard(), both, 0)).isEqualTo(allOnes);
        data.put(5, (byte) ~data.get(5));
        assertThat(verify(f, data, 512, 0, 0, both, 0, 0)).isNull();
        assertThat(ViolationKind.of(verify(f, data, 512, 0, 0, appOnly, 0, 0).kind())).isEqualTo(ViolationKind.GUARD_TAG);
        assertThat(ViolationKind.of(verify(f, data, 512, 0, 0, refOnly, 0, 0).kind())).isEqualTo(ViolationKind.GUARD_TAG);
    }

    @Test
    void type3AppOnlyEscapeStillChecksTheAppTag() {
        ByteBuffer data = randomData(1, 512, false, SEED);
        byte[] t = generate(ProtectionFormat.T10_DIF_TYPE3, data, 512, 0, 5, PiTuple.APP_ESCAPE);
        assertThat(ProtectionInformation.verify(ProtectionFormat.T10_DIF_TYPE3, data, 512, 0, 0, t, 0, 0x0001, 0xFFFF))
                .isEqualTo(new TagMismatch(TagMismatch.Kind.APP_TAG, 0, 0, 0x0001, 0xFFFF));
    }

    @Test
    void noneFormatGeneratesNothingAndVerifiesEverything() {
        ByteBuffer data = randomData(2, 512, false, SEED);
        byte[] t = {1, 2, 3};
        ProtectionInformation.generate(ProtectionFormat.NONE, data, 512, 0, 0, 0, t, 0);
        assertThat(t).containsExactly(1, 2, 3);
        assertThat(verify(ProtectionFormat.NONE, data, 512, 0, 0, t, 0, 0)).isNull();
        assertThatThrownBy(() -> ProtectionInformation.guard(ProtectionFormat.NONE, data, 0, 512))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NONE");
    }

    @Test
    void guardMatchesEachAlgorithm() {
        ByteBuffer data = randomData(1, 4096, true, SEED);
        assertThat(ProtectionInformation.guard(ProtectionFormat.T10_DIF_TYPE1, data, 10, 100))
                .isEqualTo(Crc16T10Dif.compute(data, 10, 100));
        assertThat(ProtectionInformation.guard(ProtectionFormat.DIX_IP_TYPE1, data, 10, 100))
                .isEqualTo(IpChecksum.compute(data, 10, 100));
        assertThat(ProtectionInformation.guard(ProtectionFormat.NVME_CRC32C_TYPE1, data, 10, 100))
                .isEqualTo(Crc32c.compute(data, 10, 100));
        assertThat(ProtectionInformation.guard(ProtectionFormat.NVME_CRC64_TYPE1, data, 10, 100))
                .isEqualTo(Crc64Nvme.compute(data, 10, 100));
        assertThatThrownBy(() -> ProtectionInformation.guard(ProtectionFormat.T10_DIF_TYPE1, data, 4000, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4000").hasMessageContaining("4096");
    }

    @Test
    void badArgumentsNameTheBadValue() {
        ByteBuffer data = ByteBuffer.allocate(2048);
        byte[] t = new byte[64];
        ProtectionFormat f = ProtectionFormat.T10_DIF_TYPE1;
        assertThatThrownBy(() -> ProtectionInformation.generate(f, data, 1000, 0, 0, 0, t, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval 1000");
        assertThatThrownBy(() -> ProtectionInformation.verify(f, data, 2048, 0, 0, t, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2048");
        assertThatThrownBy(() -> ProtectionInformation.generate(f, data.duplicate().limit(1000), 512, 0, 0, 0, t, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data length 1000");
        assertThatThrownBy(() -> ProtectionInformation.generate(f, data, 512, 0, 0, 0, new byte[31], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length 31")
                .hasMessageContaining("needs 32");
        assertThatThrownBy(() -> ProtectionInformation.generate(f, data, 512, 0, 0, 0, t, 40))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset 40");
        assertThatThrownBy(() -> ProtectionInformation.generate(f, data, 512, 0, 0, 0, t, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset -1");
        assertThatThrownBy(() -> ProtectionInformation.generate(f, data, 512, 0, 0, 0x10000, t, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x10000");
        assertThatThrownBy(() -> ProtectionInformation.verify(f, data, 512, 0, 0, t, 0, 0, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mask 0xffffffff");
        assertThatThrownBy(() -> ProtectionInformation.tupleBytes(f, 100, 512))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100");
        assertThat(ProtectionInformation.tupleBytes(ProtectionFormat.NVME_CRC64_TYPE1, 8192, 4096)).isEqualTo(32);
    }

    @Test
    void describeGivesHexValues() {
        TagMismatch m = new TagMismatch(TagMismatch.Kind.GUARD_TAG, 3, 103, 0xD0DB, 0x1234);
        assertThat(m.describe()).isEqualTo("guard-tag mismatch at interval 3 (lba 103): expected 0xd0db, actual 0x1234");
        assertThat(new TagMismatch(TagMismatch.Kind.REF_TAG, 0, 1, 0xFFFF_FFFF_FFFFL, 0).describe())
                .contains("ref-tag", "0xffffffffffff", "actual 0x0");
        assertThatThrownBy(() -> new TagMismatch(TagMismatch.Kind.valueOf(ViolationKind.STALE_READ.name()), 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("STALE_READ");
    }

    private static TagMismatch verify(ProtectionFormat f, ByteBuffer data, int interval, long lba, long ref,
                                      byte[] t, int off, int app) {
        return ProtectionInformation.verify(f, data, interval, lba, ref, t, off, app, 0xFFFF);
    }

    private static long[] refTags(GuardAlgorithm g, byte[] t, int n) {
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            r[i] = PiTuple.refTag(g, t, i * g.tupleSize());
        }
        return r;
    }
}
