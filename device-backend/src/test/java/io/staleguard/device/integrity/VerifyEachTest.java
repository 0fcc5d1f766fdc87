package io.staleguard.device.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.ViolationKind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VerifyEachTest {

    private static final int BS = 512;

    @Test
    void reportsEveryFailingIntervalWithItsAbsoluteIndexAndLba() {
        byte[] data = new byte[4 * BS];
        new Random(7).nextBytes(data);
        ProtectionFormat f = ProtectionFormat.T10_DIF_TYPE1;
        byte[] tuples = new byte[4 * f.tupleSize()];
        ProtectionInformation.generate(f, ByteBuffer.wrap(data), BS, 100, 0, 0, tuples, 0);
        data[BS + 3] ^= 1;
        data[3 * BS] ^= 0x40;
        List<TagMismatch> seen = new ArrayList<>();

        int n = ProtectionInformation.verifyEach(f, ByteBuffer.wrap(data), BS, 100, 0, tuples, 0, 0, 0xFFFF, seen::add);

        assertThat(n).isEqualTo(2);
        assertThat(seen).extracting(TagMismatch::intervalIndex).containsExactly(1, 3);
        assertThat(seen).extracting(TagMismatch::lba).containsExactly(101L, 103L);
        assertThat(seen).extracting(m -> ViolationKind.of(m.kind())).containsOnly(ViolationKind.GUARD_TAG);
    }

    @Test
    void cleanRangeReportsNothing() {
        byte[] data = new byte[3 * BS];
        new Random(8).nextBytes(data);
        ProtectionFormat f = ProtectionFormat.T10_DIF_TYPE2;
        byte[] tuples = new byte[3 * f.tupleSize()];
        ProtectionInformation.generate(f, ByteBuffer.wrap(data), BS, 0, 77, 0, tuples, 0);
        List<TagMismatch> seen = new ArrayList<>();

        assertThat(ProtectionInformation.verifyEach(f, ByteBuffer.wrap(data), BS, 0, 77, tuples, 0, 0, 0xFFFF,
                seen::add)).isZero();
        assertThat(seen).isEmpty();
    }

    @Test
    void continuesFromAnIntervalOffsetInTheMiddleOfTheBuffer() {
        byte[] data = new byte[5 * BS];
        new Random(9).nextBytes(data);
        ProtectionFormat f = ProtectionFormat.T10_DIF_TYPE1;
        byte[] tuples = new byte[4 * f.tupleSize()];
        ByteBuffer view = ByteBuffer.wrap(data, BS, 4 * BS);
        ProtectionInformation.generate(f, view.duplicate(), BS, 10, 0, 0, tuples, 0);
        data[BS + 2 * BS + 9] ^= 2;
        List<TagMismatch> seen = new ArrayList<>();

        ProtectionInformation.verifyEach(f, view, BS, 10, 0, tuples, 0, 0, 0xFFFF, seen::add);

        assertThat(seen).extracting(TagMismatch::lba).containsExactly(12L);
    }
}
