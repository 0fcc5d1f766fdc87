package io.staleguard.device.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PiTupleTest {

    @Test
    void roundTripsEveryFieldAtFullWidth() {
        for (GuardAlgorithm g : new GuardAlgorithm[] {GuardAlgorithm.CRC16_T10DIF, GuardAlgorithm.IP_CHECKSUM,
            GuardAlgorithm.CRC32C, GuardAlgorithm.CRC64_NVME}) {
            long guardMask = switch (g.tupleSize() == 8 ? 16 : g == GuardAlgorithm.CRC32C ? 32 : 64) {
                case 16 -> 0xFFFFL;
                case 32 -> 0xFFFF_FFFFL;
                default -> -1L;
            };
            byte[] t = new byte[3 + g.tupleSize()];
            long guard = 0x8877_6655_4433_2211L;
            long ref = 0x0000_BBAA_9988_7766L;
            PiTuple.encode(g, t, 3, guard, 0xCAFE, ref);
            assertThat(PiTuple.guard(g, t, 3)).as(g.name()).isEqualTo(guard & guardMask);
            assertThat(PiTuple.appTag(g, t, 3)).as(g.name()).isEqualTo(0xCAFE);
            assertThat(PiTuple.refTag(g, t, 3)).as(g.name()).isEqualTo(ref & PiTuple.refTagMask(g));
            assertThat(PiTuple.size(g)).isEqualTo(g.tupleSize());
        }
        assertThat(PiTuple.refTagBits(GuardAlgorithm.CRC64_NVME)).isEqualTo(48);
        assertThat(PiTuple.refTagBits(GuardAlgorithm.CRC32C)).isEqualTo(32);
    }

    @Test
    void noneHasNoTuple() {
        assertThatThrownBy(() -> PiTuple.encode(GuardAlgorithm.NONE, new byte[8], 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NONE");
    }
}
