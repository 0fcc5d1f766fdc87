package io.staleguard.device.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.IoMode;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.integrity.Crc16T10Dif;
import io.staleguard.device.integrity.Crc64Nvme;
import io.staleguard.device.integrity.ProtectionFormat;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The simulated device computes a guard only when it is needed (a CRC-32C stands for it until
 * then); what it reports is what an eager guard reports: the guard of the data written against the
 * guard of the data read.
 */
class DeferredGuardsOnDeviceTest {

    private static final int BS = 4096;
    private static final long SEED = 0xDEF0_6A2DL;

    private static SimulatedDevice device(ProtectionFormat f, Duration delay) {
        return SimulatedDevice.builder().capacity(1 << 20).blockSize(BS).protection(f).seed(SEED)
                .dmaDelay(delay, delay).build();
    }

    private static byte[] random(long seed) {
        byte[] b = new byte[BS];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void corruptionBehindTheDeviceIsAGuardTagWithTheExactGuardsOfBothContents() throws Exception {
        byte[] written = random(1);
        byte[] corrupt = written.clone();
        corrupt[777] ^= 0x04;
        try (SimulatedDevice d = device(ProtectionFormat.T10_DIF_TYPE1, Duration.ZERO)) {
            d.write(ByteBuffer.wrap(written), 3 * BS, IoMode.DIRECT);
            d.tamper().corruptData(3 * BS, corrupt);
            d.read(ByteBuffer.allocate(BS), 3 * BS, IoMode.DIRECT);
            Violation v = d.finish().all().stream().filter(x -> x.kind() == ViolationKind.GUARD_TAG).findFirst()
                    .orElseThrow();
            assertThat(v.lba()).isEqualTo(3);
            assertThat(v.expected()).isEqualTo("0x" + Integer.toHexString(Crc16T10Dif.compute(written, 0, BS)));
            assertThat(v.actual()).isEqualTo("0x" + Integer.toHexString(Crc16T10Dif.compute(corrupt, 0, BS)));
        }
    }

    @Test
    void itsCorrectTwinRewritingThroughTheDeviceIsClean() throws Exception {
        try (SimulatedDevice d = device(ProtectionFormat.T10_DIF_TYPE1, Duration.ZERO)) {
            d.write(ByteBuffer.wrap(random(1)), 3 * BS, IoMode.DIRECT);
            d.write(ByteBuffer.wrap(random(2)), 3 * BS, IoMode.DIRECT);
            ByteBuffer back = ByteBuffer.allocate(BS);
            d.read(back, 3 * BS, IoMode.DIRECT);
            assertThat(back.array()).isEqualTo(random(2));
            assertThat(d.finish().all()).isEmpty();
        }
    }

    @Test
    void aBufferChangedBeforeAnAsyncWriteLandedIsAGuardTagOfSubmittedAgainstLanded() throws Exception {
        byte[] submitted = random(3);
        try (SimulatedDevice d = device(ProtectionFormat.NVME_CRC64_TYPE1, Duration.ofMillis(20))) {
            ByteBuffer buf = ByteBuffer.allocateDirect(2 * BS).alignedSlice(BS).limit(BS);
            buf.put(submitted).flip();
            var f = d.writeAsync(buf, 5 * BS, IoMode.DIRECT);
            buf.put(100, (byte) (submitted[100] + 1)); // the write-after-checksum bug
            f.get();
            byte[] landed = submitted.clone();
            landed[100]++;
            Violation v = d.finish().all().get(0);
            assertThat(v.kind()).isEqualTo(ViolationKind.GUARD_TAG);
            assertThat(v.lba()).isEqualTo(5);
            assertThat(v.firstDiffOffset()).isEqualTo(5 * BS + 100);
            assertThat(v.expected()).isEqualTo("0x" + Long.toHexString(Crc64Nvme.compute(submitted, 0, BS)));
            assertThat(v.actual()).isEqualTo("0x" + Long.toHexString(Crc64Nvme.compute(landed, 0, BS)));
            // What landed is consistent with its tuple: reading it back adds nothing.
            d.read(ByteBuffer.allocate(BS), 5 * BS, IoMode.DIRECT);
            assertThat(d.finish().all()).hasSize(1);
        }
    }

    @Test
    void aMisdirectedWriteIsStillARefTagWhereItLands() throws Exception {
        try (SimulatedDevice d = device(ProtectionFormat.T10_DIF_TYPE1, Duration.ZERO)) {
            d.tamper().misdirectNextWrite(2 * BS, 9 * BS);
            d.write(ByteBuffer.wrap(random(4)), 2 * BS, IoMode.DIRECT);
            d.read(ByteBuffer.allocate(BS), 9 * BS, IoMode.DIRECT);
            assertThat(d.finish().all()).extracting(Violation::kind).contains(ViolationKind.REF_TAG)
                    .doesNotContain(ViolationKind.GUARD_TAG);
            assertThat(Arrays.equals(d.tamper().readMedia(9 * BS, BS), random(4))).isTrue();
        }
    }
}
