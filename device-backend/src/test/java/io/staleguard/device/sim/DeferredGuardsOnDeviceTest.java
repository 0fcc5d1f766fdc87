package io.staleguard.device.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.IoMode;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.integrity.Crc16T10Dif;
import io.staleguard.device.integrity.Crc64Nvme;
import io.staleguard.device.integrity.PiStore;
import io.staleguard.device.integrity.PiTuple;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.integrity.ProtectionInformation;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The simulated device computes a guard only when it is needed (a CRC-32C stands for it until
 * then); what it reports is what an eager guard reports: the guard of the data written against the
 * guard of the data read. Issue #13's faults act on it as on an eager guard: a flipped bit (kept beside the
 * media, applied by the read) is a GUARD_TAG of the written against the read data, and lost or misdirected
 * writes leave every tuple exact for the data stored under it.
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

    // ------------------------------------------------------------------ issue #13's faults under deferred guards

    private static String guardHex(ProtectionFormat f, byte[] data) {
        return "0x" + Long.toHexString(ProtectionInformation.guard(f, ByteBuffer.wrap(data), 0, data.length));
    }

    /** Guards still deferred on the device now (a frozen copy shares the live store's chunks). */
    private static long deferredNow(SimulatedDevice d) {
        return d.freezeMedia().pi().deferredCount();
    }

    @ParameterizedTest
    @ValueSource(strings = {"T10_DIF_TYPE1", "DIX_IP_TYPE1", "NVME_CRC64_TYPE1"})
    void aFlippedBitUnderADeferredGuardIsAGuardTagAtItsLbaWithTheExactGuardsOfWrittenAndReadData(String format)
            throws Exception {
        ProtectionFormat f = ProtectionFormat.named(format);
        byte[] three = random(5);
        byte[] four = random(6);
        byte[] flipped = four.clone();
        flipped[777] ^= 1 << 2;
        try (SimulatedDevice d = device(f, Duration.ZERO)) {
            d.write(ByteBuffer.wrap(three), 3 * BS, IoMode.DIRECT);
            d.write(ByteBuffer.wrap(four), 4 * BS, IoMode.DIRECT);
            assertThat(deferredNow(d)).as("both guards deferred").isEqualTo(2);
            d.faults().flipBit(4 * BS + 777, 2);
            ByteBuffer got = ByteBuffer.allocate(4 * BS);
            d.read(got, 2 * BS, IoMode.DIRECT); // LBAs 2 (never written) to 5
            assertThat(Arrays.copyOfRange(got.array(), 2 * BS, 3 * BS)).isEqualTo(flipped);
            List<Violation> guards = d.violations().ofKind(ViolationKind.GUARD_TAG);
            assertThat(guards).as("seed 0x%x", SEED).singleElement().satisfies(v -> {
                assertThat(v.lba()).isEqualTo(4);
                assertThat(v.offset()).isEqualTo(4 * BS);
                assertThat(v.expected()).as("the guard of the data written").isEqualTo(guardHex(f, four));
                assertThat(v.actual()).as("the guard of the data read").isEqualTo(guardHex(f, flipped));
            });
            assertThat(deferredNow(d)).as("only the flipped block's guard was computed").isEqualTo(1);
            // The exact guard is the written data's: the pristine media reads clean again.
            d.faults().clear();
            ByteBuffer again = ByteBuffer.allocate(BS);
            d.read(again, 4 * BS, IoMode.DIRECT);
            assertThat(again.array()).isEqualTo(four);
            assertThat(d.violations().ofKind(ViolationKind.GUARD_TAG)).hasSize(1);
        }
    }

    @Test
    void aFlippedBitUnderADeferredGuardIsAGuardTagWhenThePageCacheFillsFromIt() throws Exception {
        byte[] written = random(7);
        byte[] flipped = written.clone();
        flipped[40] ^= 1;
        try (SimulatedDevice d = SimulatedDevice.builder().capacity(1 << 20).blockSize(BS)
                .protection(ProtectionFormat.T10_DIF_TYPE1).seed(SEED).dmaDelay(Duration.ZERO, Duration.ZERO)
                .ioPath(KernelIoPath.of(KernelPreset.MODERN)).build()) {
            d.write(ByteBuffer.wrap(written), 6 * BS, IoMode.DIRECT);
            assertThat(deferredNow(d)).isEqualTo(1);
            d.faults().flipBit(6 * BS + 40, 0);
            ByteBuffer got = ByteBuffer.allocate(BS);
            d.read(got, 6 * BS, IoMode.BUFFERED); // the page cache reads the media itself
            assertThat(got.array()).isEqualTo(flipped);
            assertThat(d.violations().ofKind(ViolationKind.GUARD_TAG)).as("seed 0x%x", SEED).singleElement()
                    .satisfies(v -> {
                        assertThat(v.lba()).isEqualTo(6);
                        assertThat(v.expected()).isEqualTo("0x" + Integer.toHexString(Crc16T10Dif.compute(written, 0, BS)));
                        assertThat(v.actual()).isEqualTo("0x" + Integer.toHexString(Crc16T10Dif.compute(flipped, 0, BS)));
                    });
        }
    }

    @Test
    void itsTwinWithoutTheFlipReadsCleanAndKeepsItsGuardsDeferred() throws Exception {
        try (SimulatedDevice d = device(ProtectionFormat.T10_DIF_TYPE1, Duration.ZERO)) {
            d.write(ByteBuffer.wrap(random(5)), 3 * BS, IoMode.DIRECT);
            d.write(ByteBuffer.wrap(random(6)), 4 * BS, IoMode.DIRECT);
            d.read(ByteBuffer.allocate(4 * BS), 2 * BS, IoMode.DIRECT);
            assertThat(d.finish().all()).isEmpty();
            assertThat(deferredNow(d)).isEqualTo(2);
        }
    }

    /**
     * Lost and misdirected writes, at landing and at the page cache's writeback, change what the media holds
     * without the tuple a correct write would store: every tuple left must still be exact for the bytes stored
     * under it (a deferred guard computed now is the guard of those bytes), and no guard is reported.
     */
    @Test
    void lostAndMisdirectedWritesLeaveEveryTupleExactForTheStoredData() throws Exception {
        ProtectionFormat f = ProtectionFormat.T10_DIF_TYPE1;
        try (SimulatedDevice d = SimulatedDevice.builder().capacity(1 << 20).blockSize(BS).protection(f).seed(SEED)
                .dmaDelay(Duration.ZERO, Duration.ZERO).ioPath(KernelIoPath.of(KernelPreset.MODERN)).build()) {
            for (int lba = 0; lba < 16; lba++) {
                d.write(ByteBuffer.wrap(random(100 + lba)), (long) lba * BS, IoMode.DIRECT);
            }
            d.faults().loseWrite(1 * BS, BS);
            d.faults().misdirectWrite(2 * BS, 9 * BS);
            d.write(ByteBuffer.wrap(random(201)), 1 * BS, IoMode.DIRECT);
            d.write(ByteBuffer.wrap(random(202)), 2 * BS, IoMode.DIRECT);
            d.faults().loseWrite(3 * BS, BS);
            d.faults().misdirectWrite(4 * BS, 11 * BS);
            d.write(ByteBuffer.wrap(random(203)), 3 * BS, IoMode.BUFFERED);
            d.write(ByteBuffer.wrap(random(204)), 4 * BS, IoMode.BUFFERED);
            d.flush(); // the writebacks
            assertThat(d.faults().fired()).hasSize(4);

            PiStore pi = d.freezeMedia().pi();
            byte[] tuples = new byte[16 * f.tupleSize()];
            pi.get(0, tuples, 0, 16); // computes every deferred guard from the stored data, or throws
            for (int lba = 0; lba < 16; lba++) {
                byte[] stored = d.tamper().readMedia((long) lba * BS, BS);
                assertThat(PiTuple.guard(f.guard(), tuples, lba * f.tupleSize())).as("LBA %d, seed 0x%x", lba, SEED)
                        .isEqualTo(ProtectionInformation.guard(f, ByteBuffer.wrap(stored), 0, BS));
            }
            for (int lba = 0; lba < 16; lba++) {
                d.read(ByteBuffer.allocate(BS), (long) lba * BS, IoMode.DIRECT);
            }
            List<Violation> vs = d.finish().all();
            assertThat(vs).extracting(Violation::kind).doesNotContain(ViolationKind.GUARD_TAG);
            assertThat(vs).filteredOn(v -> v.kind() == ViolationKind.REF_TAG).extracting(Violation::lba)
                    .contains(9L, 11L);
            assertThat(vs).filteredOn(v -> v.kind() == ViolationKind.STALE_READ).extracting(Violation::lba)
                    .contains(1L, 2L, 3L, 4L);
        }
    }
}
