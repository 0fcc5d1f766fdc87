package io.staleguard.device.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tuples stored with a deferred guard (a CRC-32C fingerprint in its place) hand out exactly the
 * tuples an eager {@link ProtectionInformation#generate} makes, for every format with a guard.
 */
class PiStoreDeferredGuardsTest {

    private static final long SEED = 0xDEFE_4ED0L;
    private static final int BS = 4096;
    private static final int LBAS = 4096;

    /** A device's stored data: one array, read through the store's source. */
    private final byte[] media = new byte[LBAS * BS];

    private PiStore store(ProtectionFormat f) {
        PiStore s = PiStore.forFormat(f, LBAS);
        s.resolveFrom((lba, dst) -> System.arraycopy(media, (int) lba * BS, dst, 0, BS), BS);
        return s;
    }

    private void writeDeferred(PiStore s, ProtectionFormat f, long lba, int count, long seed) {
        byte[] data = new byte[count * BS];
        new SplittableRandom(seed).nextBytes(data);
        System.arraycopy(data, 0, media, (int) lba * BS, data.length);
        byte[] t = new byte[count * f.tupleSize()];
        long[] fps = new long[count];
        ProtectionInformation.generateDeferred(f, ByteBuffer.wrap(data), BS, lba, 0, 0x1234, t, 0, fps, 0);
        s.put(lba, t, 0, count, fps, 0);
    }

    private byte[] eager(ProtectionFormat f, long lba, int count) {
        byte[] t = new byte[count * f.tupleSize()];
        ProtectionInformation.generate(f, ByteBuffer.wrap(media, (int) lba * BS, count * BS), BS, lba, 0, 0x1234, t, 0);
        return t;
    }

    @Test
    void deferredTuplesReadBackExactlyAsEagerOnesForEveryFormat() {
        for (ProtectionFormat f : ProtectionFormat.known()) {
            if (!f.enabled()) {
                continue;
            }
            PiStore s = store(f);
            writeDeferred(s, f, 1020, 8, SEED); // across a chunk boundary
            assertThat(s.deferredCount()).as(f.name()).isEqualTo(8);
            byte[] got = new byte[8 * f.tupleSize()];
            assertThat(s.get(1020, got, 0, 8)).isEqualTo(8);
            assertThat(got).as(f.name()).isEqualTo(eager(f, 1020, 8));
            assertThat(s.deferredCount()).as("get computed the guards once").isZero();
        }
    }

    @Test
    void theVerifiersGetHandsOutFingerprintsThatConfirmUnchangedData() {
        ProtectionFormat f = ProtectionFormat.T10_DIF_TYPE1;
        PiStore s = store(f);
        writeDeferred(s, f, 10, 2, SEED);
        byte[] t = new byte[2 * 8];
        long[] fps = new long[2];
        assertThat(s.get(10, t, 0, 2, fps, 0)).isEqualTo(2);
        assertThat(fps).doesNotContain(PiStore.EXACT);
        ByteBuffer data = ByteBuffer.wrap(media, 10 * BS, 2 * BS).slice();
        assertThat(ProtectionInformation.verify(f, data, BS, 10, 0, t, 0, 0x1234, 0xFFFF, fps, 0)).isNull();
        // Without the confirmation the zero placeholder guard fails: the confirmation is what passes it.
        assertThat(ProtectionInformation.verify(f, data, BS, 10, 0, t, 0, 0x1234, 0xFFFF).kind())
                .isEqualTo(TagMismatch.Kind.GUARD_TAG);
        // Tags are still checked on a confirmed guard.
        assertThat(ProtectionInformation.verify(f, data, BS, 11, 0, t, 0, 0x1234, 0xFFFF, fps, 0).kind())
                .isEqualTo(TagMismatch.Kind.REF_TAG);
        assertThat(ProtectionInformation.verify(f, data, BS, 10, 0, t, 0, 0x4321, 0xFFFF, fps, 0).kind())
                .isEqualTo(TagMismatch.Kind.APP_TAG);
    }

    @Test
    void resolvingBeforeAChangeBehindTheStoreKeepsTheGuardOfTheDataWritten() {
        ProtectionFormat f = ProtectionFormat.T10_DIF_TYPE1;
        PiStore s = store(f);
        writeDeferred(s, f, 7, 1, SEED);
        byte[] original = Arrays.copyOfRange(media, 7 * BS, 8 * BS);
        s.resolve(7, 1);
        media[7 * BS + 100] ^= 0x10; // a test's corruption after the guard was computed
        byte[] t = new byte[8];
        long[] fps = new long[1];
        s.get(7, t, 0, 1, fps, 0);
        assertThat(fps[0]).isEqualTo(PiStore.EXACT);
        TagMismatch m = ProtectionInformation.verify(f, ByteBuffer.wrap(media, 7 * BS, BS).slice(), BS, 7, 0, t, 0,
                0x1234, 0xFFFF);
        assertThat(m.kind()).isEqualTo(TagMismatch.Kind.GUARD_TAG);
        assertThat(m.expected()).isEqualTo(Crc16T10Dif.compute(original, 0, BS));
        assertThat(m.actual()).isEqualTo(Crc16T10Dif.compute(media, 7 * BS, BS));
    }

    @Test
    void dataChangedBehindAnUnresolvedGuardIsALoudError() {
        ProtectionFormat f = ProtectionFormat.T10_DIF_TYPE1;
        PiStore s = store(f);
        writeDeferred(s, f, 3, 1, SEED);
        media[3 * BS] ^= 1;
        assertThatThrownBy(() -> s.get(3, new byte[8], 0, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LBA 3").hasMessageContaining("changed behind the PI store");
    }

    @Test
    void exactPutsDiscardsAndFrozenCopiesKeepDeferredStateRight() {
        ProtectionFormat f = ProtectionFormat.NVME_CRC64_TYPE1;
        PiStore s = store(f);
        writeDeferred(s, f, 0, 4, SEED);
        PiStore frozen = s.frozenCopy();
        s.put(1, eager(f, 1, 1), 0, 1);
        s.discard(2, 1);
        assertThat(s.deferredCount()).isEqualTo(2);
        assertThat(frozen.deferredCount()).isEqualTo(4);
        s.resetTo(frozen);
        byte[] got = new byte[4 * 16];
        s.get(0, got, 0, 4);
        assertThat(got).isEqualTo(eager(f, 0, 4));
    }

    @Test
    void aFrozenCopyHandsOutExactTuplesWhileTheDataIsUnchangedAndFailsLoudlyAfter() {
        ProtectionFormat f = ProtectionFormat.T10_DIF_TYPE1;
        PiStore s = store(f);
        writeDeferred(s, f, 40, 1, SEED);
        PiStore frozen = s.frozenCopy();
        byte[] got = new byte[8];
        frozen.get(40, got, 0, 1);
        assertThat(got).isEqualTo(eager(f, 40, 1));
        writeDeferred(s, f, 41, 1, SEED);
        PiStore again = s.frozenCopy();
        writeDeferred(s, f, 41, 1, SEED + 1);
        assertThatThrownBy(() -> again.get(41, new byte[8], 0, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LBA 41");
    }

    @Test
    void aDeferredGuardNeedsASourceAndAStoreWithAFormat() {
        PiStore s = PiStore.forFormat(ProtectionFormat.T10_DIF_TYPE1, 16);
        assertThatThrownBy(() -> s.put(0, new byte[8], 0, 1, new long[] {5}, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("resolveFrom");
        assertThatThrownBy(() -> new PiStore(8, 16).resolveFrom((l, d) -> { }, BS))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("PiStore.forFormat");
        assertThatThrownBy(() -> s.resolveFrom((l, d) -> { }, 1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1000");
        s.put(0, new byte[8], 0, 1, new long[] {PiStore.EXACT}, 0); // exact entries need no source
        assertThat(s.isWritten(0)).isTrue();
    }

    @Test
    void savingASidecarWritesExactGuards(@TempDir Path dir) throws Exception {
        ProtectionFormat f = ProtectionFormat.T10_DIF_TYPE1;
        PiStore s = store(f);
        writeDeferred(s, f, 5, 3, SEED);
        s.saveTo(dir.resolve("pi"));
        PiStore loaded = PiStore.loadFrom(dir.resolve("pi"));
        byte[] got = new byte[3 * 8];
        loaded.get(5, got, 0, 3);
        assertThat(got).isEqualTo(eager(f, 5, 3));
    }
}
