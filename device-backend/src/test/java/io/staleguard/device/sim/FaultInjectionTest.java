package io.staleguard.device.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.TimelineEvent;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.core.PiMismatch;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.sim.internal.DeviceFaults;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each injected fault fires where and when it was asked, on the simulated device, with its documented error or
 * effect, one {@link FiredFault} and one {@code IO_FAULT} event; with faults off nothing fires (issue #13).
 */
@Timeout(60)
class FaultInjectionTest {

    private static final int BS = 4096;

    private static SimulatedDevice device() {
        return device(ProtectionFormat.T10_DIF_TYPE1, 7);
    }

    private static SimulatedDevice device(ProtectionFormat format, long seed) {
        return SimulatedDevice.builder().capacity(1 << 20).seed(seed).protection(format)
                .dmaDelay(Duration.ZERO, Duration.ZERO).build();
    }

    private static ByteBuffer block(int fill) {
        return filled(BS, fill);
    }

    private static ByteBuffer filled(int n, int fill) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) fill);
        return ByteBuffer.wrap(b);
    }

    private static byte[] read(SimulatedDevice d, long offset, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        d.read(b, offset, IoMode.DIRECT);
        return b.array();
    }

    private static List<TimelineEvent> faultEvents(SimulatedDevice d) {
        return d.operationLog().snapshot().stream().filter(e -> e.type() == TimelineEvent.Type.IO_FAULT).toList();
    }

    // ------------------------------------------------------------------ faults off

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void withFaultsOffAMixedWorkloadIsCleanAndNothingFires(boolean kernel) throws Exception {
        SimulatedDevice.Builder b = SimulatedDevice.builder().capacity(1 << 20).seed(11)
                .dmaDelay(Duration.ZERO, Duration.ofNanos(5_000));
        if (kernel) {
            b.ioPath(KernelIoPath.of(KernelPreset.MODERN));
        }
        try (SimulatedDevice d = b.build()) {
            IoCaller ch = IoCaller.newCaller("ch", true);
            for (int i = 0; i < 20; i++) {
                d.write(block(i), (long) (i % 8) * BS, IoMode.DIRECT, ch);
                d.write(filled(100, i), 40_000 + i * 100L, IoMode.BUFFERED, ch);
                d.writeAsync(block(i + 1), (long) (8 + i % 8) * BS, IoMode.DIRECT, ch).get(10, TimeUnit.SECONDS);
                d.read(ByteBuffer.allocate(BS), (long) (i % 8) * BS, IoMode.DIRECT, ch);
                d.read(ByteBuffer.allocate(300), 40_000 + i * 50L, IoMode.BUFFERED, ch);
                d.readAsync(ByteBuffer.allocate(BS), (long) (8 + i % 8) * BS, IoMode.DIRECT, ch).get(10, TimeUnit.SECONDS);
                if (i % 5 == 0) {
                    d.force(ch);
                    d.flush();
                }
            }
            assertThat(d.faults().isActive()).isFalse();
            assertThat(d.finish().total()).isZero();
            assertThat(d.faults().fired()).isEmpty();
            assertThat(faultEvents(d)).isEmpty();
        }
    }

    // ------------------------------------------------------------------ fsync errors

    @Test
    void failFsyncFailsTheNextFlushesThenDisarms() throws Exception {
        try (SimulatedDevice d = device()) {
            Fault f = d.faults().failFsync(2);
            assertThat(f.kind()).isEqualTo(FaultKind.FSYNC_ERROR);
            assertThat(d.faults().isActive()).isTrue();
            assertThatThrownBy(d::flush).isInstanceOf(IOException.class).hasMessage("Input/output error");
            assertThat(d.faults().armed()).singleElement().extracting(Fault::remaining).isEqualTo(1);
            assertThatThrownBy(() -> d.force(IoCaller.DEVICE)).isInstanceOf(IOException.class)
                    .hasMessage("Input/output error");
            d.flush();
            assertThat(d.faults().isActive()).isFalse();
            assertThat(d.faults().fired()).hasSize(2).allSatisfy(x -> assertThat(x.fault().id()).isEqualTo(f.id()));
            assertThat(d.faults().fired()).extracting(FiredFault::sequence).containsExactly(1L, 2L);
            assertThat(faultEvents(d)).hasSize(2).allSatisfy(e -> assertThat(e.note()).startsWith("fsync-error"));
        }
    }

    @Test
    void theInternalSeamConsumesTheSameCount() throws Exception {
        try (SimulatedDevice d = device()) {
            DeviceFaults f = DeviceFaults.of(d);
            assertThat(f.active()).isFalse();
            assertThat(f.takeFsyncFailure()).isFalse();
            d.faults().failFsync(1);
            assertThat(f.active()).isTrue();
            assertThat(f.takeFsyncFailure()).isTrue();
            assertThat(f.takeFsyncFailure()).isFalse();
            d.flush();
        }
    }

    // ------------------------------------------------------------------ latent sector errors

    @Test
    void readErrorsLastUntilTheBlockIsRewritten() throws Exception {
        try (SimulatedDevice d = device()) {
            for (int i = 0; i < 4; i++) {
                d.write(block(i + 1), (long) i * BS, IoMode.DIRECT);
            }
            Fault f = d.faults().failReads(2 * BS, BS);
            assertThat(read(d, 0, BS)).containsOnly(1);
            assertThat(read(d, 3 * BS, BS)).containsOnly(4);
            assertThatThrownBy(() -> read(d, 2 * BS, BS)).isInstanceOf(IOException.class)
                    .hasMessage("Input/output error");
            assertThatThrownBy(() -> read(d, 2 * BS, BS)).hasMessage("Input/output error");
            // A read that starts before the bad block stops there, as Linux returns the bytes before a failed page.
            ByteBuffer two = ByteBuffer.allocate(2 * BS);
            assertThat(d.read(two, BS, IoMode.DIRECT)).isEqualTo(BS);
            assertThat(Arrays.copyOf(two.array(), BS)).containsOnly(2);
            List<FiredFault> fired = d.faults().fired();
            assertThat(fired).hasSize(3).allSatisfy(x -> {
                assertThat(x.fault().id()).isEqualTo(f.id());
                assertThat(x.offset()).isEqualTo(2 * BS);
                assertThat(x.length()).isEqualTo(BS);
            });
            assertThat(fired.get(2).note()).contains("the read stops after 4096 of 8192 bytes");
            d.write(block(9), 2 * BS, IoMode.DIRECT);
            assertThat(read(d, 2 * BS, BS)).containsOnly(9);
            assertThat(d.faults().fired()).hasSize(3);
        }
    }

    @ParameterizedTest
    @EnumSource(KernelPreset.class)
    void aPageCacheFillOfABadBlockFailsTheBufferedReadWithEio(KernelPreset preset) throws Exception {
        try (SimulatedDevice d = SimulatedDevice.builder().capacity(1 << 20).seed(5)
                .dmaDelay(Duration.ZERO, Duration.ZERO).ioPath(KernelIoPath.of(preset)).build()) {
            d.write(block(3), 6 * BS, IoMode.DIRECT);
            d.faults().failReads(6 * BS, BS);
            assertThatThrownBy(() -> d.read(ByteBuffer.allocate(100), 6 * BS + 10, IoMode.BUFFERED))
                    .as(preset.name()).isInstanceOf(IOException.class).hasMessage("Input/output error");
            assertThat(d.faults().fired()).singleElement().satisfies(x -> assertThat(x.sequence()).isZero());
        }
    }

    @Test
    void aFailedAsynchronousReadCompletesExceptionally() throws Exception {
        try (SimulatedDevice d = device()) {
            d.faults().failReads(0, BS);
            assertThatThrownBy(() -> d.readAsync(ByteBuffer.allocate(BS), 0, IoMode.DIRECT).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class)
                    .cause().hasMessage("Input/output error");
        }
    }

    // ------------------------------------------------------------------ write errors

    @Test
    void writeErrorsFailTheNextWritesInTheRangeAndMoveNothing() throws Exception {
        try (SimulatedDevice d = device()) {
            d.write(block(1), 4 * BS, IoMode.DIRECT);
            d.faults().failWrites(4 * BS, BS, 2);
            d.write(block(5), 5 * BS, IoMode.DIRECT); // outside: unharmed
            assertThatThrownBy(() -> d.write(block(2), 4 * BS, IoMode.DIRECT)).isInstanceOf(IOException.class)
                    .hasMessage("Input/output error");
            assertThat(d.faults().armed()).singleElement().extracting(Fault::remaining).isEqualTo(1);
            assertThatThrownBy(() -> d.writeAsync(block(3), 4 * BS, IoMode.DIRECT).get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IOException.class);
            assertThat(d.tamper().readMedia(4 * BS, BS)).containsOnly(1);
            d.write(block(4), 4 * BS, IoMode.DIRECT);
            assertThat(read(d, 4 * BS, BS)).containsOnly(4);
            assertThat(d.faults().fired()).hasSize(2).allSatisfy(x -> assertThat(x.offset()).isEqualTo(4 * BS));
            assertThat(d.faults().isActive()).isFalse();
            assertThat(d.finish().total()).isZero();
        }
    }

    @Test
    void writeErrorsSelectedByAMatcher() throws Exception {
        try (SimulatedDevice d = device()) {
            d.faults().failWrites(OpMatcher.writes().byThread("not-this-one"), 1);
            d.write(block(1), 0, IoMode.DIRECT);
            d.faults().clear();
            d.faults().failWrites(OpMatcher.writes().byThread(Thread.currentThread().getName()), 1);
            assertThatThrownBy(() -> d.write(block(2), 0, IoMode.DIRECT)).hasMessage("Input/output error");
            assertThat(d.faults().fired()).hasSize(1);
        }
    }

    @Test
    void aPartialWriteMovesItsBytesAndItsContinuationFails() throws Exception {
        try (SimulatedDevice d = device()) {
            IoCaller ch = IoCaller.newCaller("log", false);
            d.faults().failWriteAfter(0, 10 * BS, 300);
            ByteBuffer rec = filled(1000, 7);
            assertThat(d.write(rec, 0, IoMode.BUFFERED, ch)).isEqualTo(300);
            assertThat(rec.position()).isEqualTo(300);
            assertThatThrownBy(() -> d.write(rec, 300, IoMode.BUFFERED, ch)).isInstanceOf(IOException.class)
                    .hasMessage("Input/output error");
            assertThat(d.tamper().readMedia(0, 1000)).startsWith(filled(300, 7).array());
            assertThat(Arrays.copyOfRange(d.tamper().readMedia(0, 1000), 300, 1000)).containsOnly(0);
            List<FiredFault> fired = d.faults().fired();
            assertThat(fired).hasSize(2);
            assertThat(fired.get(0).note()).startsWith("partial-write: 300 of 1000 bytes, the continuation at 300 "
                    + "fails with EIO");
            assertThat(fired.get(1).note()).startsWith("partial-write: the continuation at 300 fails with EIO");
            // Disarmed: the next write of the range goes through whole.
            assertThat(d.write(filled(700, 7), 300, IoMode.BUFFERED, ch)).isEqualTo(700);
            assertThat(d.faults().isActive()).isFalse();
        }
    }

    @Test
    void aPartialDirectWriteIsCutToWholeBlocksByTheNamedCount() throws Exception {
        try (SimulatedDevice d = device()) {
            d.faults().failWriteAfter(OpMatcher.writes(), BS);
            assertThat(d.write(filled(4 * BS, 3), 0, IoMode.DIRECT)).isEqualTo(BS);
            assertThatThrownBy(() -> d.write(filled(3 * BS, 3), BS, IoMode.DIRECT)).hasMessage("Input/output error");
            assertThat(read(d, 0, BS)).containsOnly(3);
            assertThat(read(d, BS, BS)).containsOnly(0);
        }
    }

    @Test
    void noSpaceCutsTheWriteCrossingTheBudgetThenFailsEveryWrite() throws Exception {
        try (SimulatedDevice d = device()) {
            d.faults().noSpaceAfter(3 * BS + 100);
            for (int i = 0; i < 3; i++) {
                assertThat(d.write(block(i + 1), (long) i * BS, IoMode.BUFFERED)).isEqualTo(BS);
            }
            assertThat(d.write(block(4), 3 * BS, IoMode.BUFFERED)).isEqualTo(100);
            assertThatThrownBy(() -> d.write(block(5), 4 * BS, IoMode.BUFFERED)).isInstanceOf(IOException.class)
                    .hasMessage("No space left on device");
            assertThatThrownBy(() -> d.write(block(5), 0, IoMode.DIRECT)).hasMessage("No space left on device");
            assertThat(d.faults().fired()).extracting(FiredFault::note)
                    .anySatisfy(n -> assertThat(n).startsWith("enospc: 100 of 4096 bytes fit"))
                    .anySatisfy(n -> assertThat(n).startsWith("enospc: the device is full"));
            d.faults().clear();
            assertThat(d.write(block(5), 4 * BS, IoMode.BUFFERED)).isEqualTo(BS);
        }
    }

    // ------------------------------------------------------------------ silent write faults, caught by PI and the oracle

    @ParameterizedTest
    @ValueSource(strings = {"NONE", "T10_DIF_TYPE1", "T10_DIF_TYPE2", "T10_DIF_TYPE3", "DIX_IP_TYPE1",
            "NVME_CRC32C_TYPE1", "NVME_CRC64_TYPE1"})
    void aLostWriteIsAStaleReadOfTheOldVersionAndNoTagViolation(String format) throws Exception {
        try (SimulatedDevice d = device(ProtectionFormat.named(format), 3)) {
            d.write(block(1), 5 * BS, IoMode.DIRECT);
            Fault f = d.faults().loseWrite(5 * BS, BS);
            d.write(block(9), 4 * BS, IoMode.DIRECT); // outside: lands
            assertThat(d.write(block(2), 5 * BS, IoMode.DIRECT)).isEqualTo(BS); // acknowledged
            assertThat(read(d, 4 * BS, BS)).containsOnly(9);
            assertThat(read(d, 5 * BS, BS)).containsOnly(1);
            List<Violation> vs = d.finish().all();
            assertThat(vs).singleElement().satisfies(v -> {
                assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
                assertThat(v.lba()).isEqualTo(5);
            });
            assertThat(d.faults().fired()).singleElement().satisfies(x -> {
                assertThat(x.fault().id()).isEqualTo(f.id());
                assertThat(x.note()).startsWith("lost-write: acknowledged, never stored");
                assertThat(x.offset()).isEqualTo(5 * BS);
            });
            assertThat(vs.get(0).timeline()).anySatisfy(e -> assertThat(e.type()).isEqualTo(TimelineEvent.Type.IO_FAULT));
        }
    }

    /** The formats whose reference tag is the LBA (Type 1): Type 2's counts from the I/O's initial tag. */
    @ParameterizedTest
    @ValueSource(strings = {"T10_DIF_TYPE1", "DIX_IP_TYPE1", "NVME_CRC32C_TYPE1", "NVME_CRC64_TYPE1"})
    void aMisdirectedWriteIsARefTagWhereItLandsAndAStaleReadWhereItWasAddressed(String format) throws Exception {
        try (SimulatedDevice d = device(ProtectionFormat.named(format), 3)) {
            d.write(block(1), 2 * BS, IoMode.DIRECT);
            d.write(block(4), 10 * BS, IoMode.DIRECT);
            d.faults().misdirectWrite(2 * BS, 10 * BS);
            d.write(block(2), 2 * BS, IoMode.DIRECT);
            assertThat(read(d, 10 * BS, BS)).containsOnly(2);
            assertThat(read(d, 2 * BS, BS)).containsOnly(1);
            List<Violation> vs = d.finish().all();
            assertThat(vs.stream().filter(v -> v.kind() == ViolationKind.REF_TAG))
                    .hasSize(2) // once as it lands, once when read back
                    .allSatisfy(v -> assertThat(v.lba()).isEqualTo(10));
            assertThat(vs.stream().filter(v -> v.kind() == ViolationKind.REF_TAG).findFirst().orElseThrow().detail())
                    .contains("misdirected");
            assertThat(vs.stream().filter(v -> v.kind() == ViolationKind.STALE_READ))
                    .singleElement().satisfies(v -> assertThat(v.lba()).isEqualTo(2));
            assertThat(d.faults().fired()).singleElement().satisfies(x ->
                    assertThat(x.note()).startsWith("misdirect: the write addressed at 8192 lands at 40960"));
        }
    }

    @Test
    void aMisdirectedAndALostWritebackOfThePageCacheAreCaughtLikeDirectOnes() throws Exception {
        try (SimulatedDevice d = SimulatedDevice.builder().capacity(1 << 20).seed(5)
                .dmaDelay(Duration.ZERO, Duration.ZERO).ioPath(KernelIoPath.of(KernelPreset.MODERN)).build()) {
            d.write(block(1), 2 * BS, IoMode.DIRECT);
            d.write(block(1), 3 * BS, IoMode.DIRECT);
            d.faults().misdirectWrite(2 * BS, 10 * BS);
            d.faults().loseWrite(3 * BS, BS);
            d.write(block(2), 2 * BS, IoMode.BUFFERED);
            d.write(block(2), 3 * BS, IoMode.BUFFERED);
            d.flush(); // the writeback
            assertThat(d.faults().fired()).extracting(FiredFault::note).satisfiesExactlyInAnyOrder(
                    n -> assertThat(n).startsWith("misdirect: the writeback addressed at 8192 lands at 40960"),
                    n -> assertThat(n).startsWith("lost-write: writeback of [12288,+4096) acknowledged"));
            assertThat(read(d, 10 * BS, BS)).containsOnly(2);
            assertThat(read(d, 2 * BS, BS)).containsOnly(1); // direct reads go to the media
            assertThat(read(d, 3 * BS, BS)).containsOnly(1);
            List<Violation> vs = d.finish().all();
            assertThat(vs).filteredOn(v -> v.kind() == ViolationKind.REF_TAG).singleElement()
                    .satisfies(v -> assertThat(v.lba()).isEqualTo(10));
            assertThat(vs).filteredOn(v -> v.kind() == ViolationKind.STALE_READ).extracting(Violation::lba)
                    .containsExactlyInAnyOrder(2L, 3L);
        }
    }

    /**
     * Type 3 checks no reference tag, Type 2's counts from the I/O's initial tag (not the LBA), and NONE has
     * none: the oracle still sees the addressed block keep its old version.
     */
    @ParameterizedTest
    @ValueSource(strings = {"NONE", "T10_DIF_TYPE2", "T10_DIF_TYPE3"})
    void withoutAnLbaReferenceTagAMisdirectedWriteIsStillAStaleRead(String format) throws Exception {
        try (SimulatedDevice d = device(ProtectionFormat.named(format), 3)) {
            d.write(block(1), 2 * BS, IoMode.DIRECT);
            d.faults().misdirectWrite(2 * BS, 10 * BS);
            d.write(block(2), 2 * BS, IoMode.DIRECT);
            assertThat(read(d, 2 * BS, BS)).containsOnly(1);
            assertThat(d.finish().all()).extracting(Violation::kind).containsExactly(ViolationKind.STALE_READ);
        }
    }

    // ------------------------------------------------------------------ bit rot and PI enforcement

    @Test
    void aFlippedBitIsAGuardTagOnReadAndClearRestoresThePristineMedia() throws Exception {
        try (SimulatedDevice d = device()) {
            d.write(block(0x10), 3 * BS, IoMode.DIRECT);
            d.faults().flipBit(3 * BS + 5, 3);
            assertThat(d.tamper().readMedia(3 * BS + 5, 1)[0]).isEqualTo((byte) 0x18);
            byte[] got = read(d, 3 * BS, BS);
            assertThat(got[5]).isEqualTo((byte) 0x18);
            assertThat(d.violations().ofKind(ViolationKind.GUARD_TAG)).singleElement()
                    .satisfies(v -> assertThat(v.lba()).isEqualTo(3));
            d.faults().clear();
            assertThat(read(d, 3 * BS, BS)).containsOnly(0x10);
            assertThat(d.faults().fired()).singleElement().satisfies(x -> assertThat(x.fault().kind())
                    .isEqualTo(FaultKind.BIT_FLIP));
        }
    }

    @Test
    void aRewriteHealsAFlippedBit() throws Exception {
        try (SimulatedDevice d = device()) {
            d.write(block(0x10), 3 * BS, IoMode.DIRECT);
            d.faults().flipBit(3 * BS + 5, 0);
            d.write(block(0x20), 3 * BS, IoMode.DIRECT);
            assertThat(read(d, 3 * BS, BS)).containsOnly(0x20);
            assertThat(d.finish().total()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(KernelPreset.class)
    void underFailReadAPiMismatchFailsTheReadAndIsStillRecorded(KernelPreset preset) throws Exception {
        for (PiMismatch mode : PiMismatch.values()) {
            try (SimulatedDevice d = SimulatedDevice.builder().capacity(1 << 20).seed(5).piMismatch(mode)
                    .dmaDelay(Duration.ZERO, Duration.ZERO).ioPath(KernelIoPath.of(preset)).build()) {
                d.write(block(0x10), 3 * BS, IoMode.DIRECT);
                d.faults().flipBit(3 * BS + 5, 3);
                ByteBuffer dst = ByteBuffer.allocate(BS);
                if (mode == PiMismatch.REPORT) {
                    assertThat(d.read(dst, 3 * BS, IoMode.DIRECT)).isEqualTo(BS);
                    assertThat(dst.array()[5]).isEqualTo((byte) 0x18);
                } else {
                    assertThatThrownBy(() -> d.read(dst, 3 * BS, IoMode.DIRECT)).isInstanceOf(IOException.class)
                            .hasMessage("Input/output error");
                    assertThat(dst.array()).containsOnly(0); // nothing copied
                }
                assertThat(d.violations().ofKind(ViolationKind.GUARD_TAG)).as(preset + " " + mode).hasSize(1);
            }
        }
    }

    @Test
    void failReadIsTheSettingsAndTheReproduceLine() throws Exception {
        try (SimulatedDevice d = SimulatedDevice.builder().seed(1).piMismatch(PiMismatch.FAIL_READ)
                .faults("lost-write=0.001").build()) {
            assertThat(d.reproduce()).contains(".piMismatch(PiMismatch.FAIL_READ)").contains(".faults(\"lost-write=0.001\")");
            assertThat(d.faults().rates()).hasToString("lost-write=0.001");
        }
        try (SimulatedDevice d = SimulatedDevice.builder().seed(1).build()) {
            assertThat(d.reproduce()).doesNotContain("piMismatch").doesNotContain("faults");
        }
    }

    // ------------------------------------------------------------------ seeded rates

    private static List<Long> seededReadErrors(long seed, String spec) throws IOException {
        try (SimulatedDevice d = SimulatedDevice.builder().capacity(1000L * BS).seed(seed)
                .dmaDelay(Duration.ZERO, Duration.ZERO).faults(spec).build()) {
            for (int i = 0; i < 1000; i++) {
                try {
                    read(d, (long) i * BS, BS);
                } catch (IOException e) {
                    assertThat(e).hasMessage("Input/output error");
                }
            }
            assertThat(faultEvents(d)).hasSameSizeAs(d.faults().fired());
            return d.faults().fired().stream().map(FiredFault::sequence).toList();
        }
    }

    @Test
    void aSeededRateFiresByTheSeedAndTheSameSeedFiresTheSameFaults() throws Exception {
        List<Long> first = seededReadErrors(42, "read-error=0.5");
        assertThat(first).hasSize(493);
        assertThat(seededReadErrors(42, "read-error=0.5")).isEqualTo(first);
        assertThat(seededReadErrors(43, "read-error=0.5")).isNotEqualTo(first);
    }

    @Test
    void anOpScopeFiresOnlyOnThoseOperations() throws Exception {
        assertThat(seededReadErrors(42, "read-error@op:10-20")).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(10, 20).boxed().toList());
        assertThat(seededReadErrors(42, "read-error@7")).containsExactly(7L);
        assertThat(seededReadErrors(42, "read-error@lba:100-102")).containsExactly(101L, 102L, 103L);
    }

    @Test
    void seededFsyncErrorsCountFsyncs() throws Exception {
        try (SimulatedDevice d = SimulatedDevice.builder().seed(1).faults("fsync-error@2").build()) {
            d.flush();
            assertThatThrownBy(d::flush).hasMessage("Input/output error");
            d.flush();
            assertThat(d.faults().fired()).singleElement().satisfies(x -> assertThat(x.sequence()).isEqualTo(2));
        }
    }

    @Test
    void seededSilentWriteFaultsAreCaught() throws Exception {
        try (SimulatedDevice d = SimulatedDevice.builder().capacity(256L * BS).seed(9)
                .dmaDelay(Duration.ZERO, Duration.ZERO).faults("lost-write=0.05,misdirect=0.05").build()) {
            for (int i = 0; i < 256; i++) {
                d.write(block(i % 250 + 1), (long) i * BS, IoMode.DIRECT);
            }
            for (int i = 0; i < 256; i++) {
                read(d, (long) i * BS, BS);
            }
            List<FiredFault> fired = d.faults().fired();
            assertThat(fired).isNotEmpty();
            long lost = fired.stream().filter(x -> x.fault().kind() == FaultKind.LOST_WRITE).count();
            long misdirected = fired.stream().filter(x -> x.fault().kind() == FaultKind.MISDIRECTED_WRITE).count();
            assertThat(lost).isPositive();
            assertThat(misdirected).isPositive();
            assertThat(d.finish().count(ViolationKind.STALE_READ)).isGreaterThanOrEqualTo(lost);
            assertThat(d.finish().count(ViolationKind.REF_TAG)).isGreaterThanOrEqualTo(misdirected);
        }
    }

    // ------------------------------------------------------------------ crash states

    @Test
    void faultsPauseInACrashStateAndResumeWhenTheMediaIsRestored() throws Exception {
        try (SimulatedDevice d = device()) {
            d.write(block(1), 0, IoMode.DIRECT);
            MediaSnapshot base = d.freezeMedia();
            d.faults().failReads(0, BS);
            d.powerCycle(base, new BlockOverlay(BS));
            assertThat(d.faults().isActive()).isFalse();
            assertThat(read(d, 0, BS)).containsOnly(1); // recovery sees honest media
            d.powerCycle(base);
            assertThat(d.faults().isActive()).isTrue();
            assertThatThrownBy(() -> read(d, 0, BS)).hasMessage("Input/output error");
        }
    }

    // ------------------------------------------------------------------ argument checks

    @Test
    void armingChecksItsArgumentsNamingTheValue() throws Exception {
        try (SimulatedDevice d = device()) {
            assertThatThrownBy(() -> d.faults().failFsync(0)).hasMessage("failFsync: times must be >= 1, was 0");
            assertThatThrownBy(() -> d.faults().failReads(100, 4096))
                    .hasMessage("failReads: offset 100 is not a multiple of the block size 4096");
            assertThatThrownBy(() -> d.faults().failReads(0, 100))
                    .hasMessage("failReads: length 100 is not a positive multiple of the block size 4096");
            assertThatThrownBy(() -> d.faults().failReads(1 << 20, 4096))
                    .hasMessage("failReads: [1048576,+4096) is outside the device's 1048576 bytes");
            assertThatThrownBy(() -> d.faults().failWrites(0, 0, 1))
                    .hasMessageStartingWith("failWrites: [0,+0) is not a non-empty range");
            assertThatThrownBy(() -> d.faults().failWrites(0, 10, 0)).hasMessage("failWrites: times must be >= 1, was 0");
            assertThatThrownBy(() -> d.faults().failWriteAfter(0, 10, -1))
                    .hasMessage("failWriteAfter: bytes must be >= 0, was -1");
            assertThatThrownBy(() -> d.faults().noSpaceAfter(-1)).hasMessage("noSpaceAfter: bytes must be >= 0, was -1");
            assertThatThrownBy(() -> d.faults().misdirectWrite(0, 100))
                    .hasMessage("misdirectWrite: offset 100 is not a multiple of the block size 4096");
            assertThatThrownBy(() -> d.faults().flipBit(0, 8)).hasMessage("flipBit: bit must be in 0..7, was 8");
            assertThatThrownBy(() -> d.faults().flipBit(-1, 0)).hasMessageStartingWith("flipBit: offset -1 is outside");
            assertThatThrownBy(() -> d.faults().loseWrite(OpMatcher.reads()))
                    .hasMessageStartingWith("loseWrite: the matcher selects reads, not writes");
            assertThatThrownBy(() -> d.faults().rates("lost-wirte"))
                    .hasMessageStartingWith("unknown fault 'lost-wirte'");
            assertThat(d.faults().isActive()).isFalse();
        }
    }
}
