package io.staleguard.device.oracle;

import static io.staleguard.device.oracle.MemoryMedia.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * A device that hashed the landed bytes itself tells the oracle their sector CRC-32Cs
 * ({@link HistoryOracle#writeLanded(long, long, int, int[], int)}): the oracle's verdicts are those it
 * gives when it hashes the bytes itself.
 */
class PrecomputedSectorCrcsTest {

    private static final int BS = 4096;

    private static int[] sectorCrcs(byte[] data) {
        int[] out = new int[data.length / 512];
        CRC32C c = new CRC32C();
        for (int s = 0; s < out.length; s++) {
            c.reset();
            c.update(data, s * 512, 512);
            out[s] = (int) c.getValue();
        }
        return out;
    }

    private static long write(HistoryOracle o, long offset, byte[] data) {
        long id = o.writeSubmitted(offset, data.length, "writer");
        int[] crcs = sectorCrcs(data);
        int[] shifted = new int[crcs.length + 2]; // at an offset, as a caller's scratch array would hold them
        System.arraycopy(crcs, 0, shifted, 2, crcs.length);
        o.writeLanded(id, offset, data.length, shifted, 2);
        o.writeCompleted(id);
        return id;
    }

    private static List<Violation> read(HistoryOracle o, long offset, byte[] served) {
        long token = o.readStarted(offset, served.length, "reader");
        return o.readCompleted(token, offset, ByteBuffer.wrap(served), "reader");
    }

    @Test
    void aStaleBlockIsCaughtAndTheCurrentOneIsClean() {
        MemoryMedia m = new MemoryMedia(BS, 16);
        HistoryOracle o = m.oracle;
        byte[] v1 = content(2 * BS, 1);
        byte[] v2 = content(2 * BS, 2);
        long id1 = write(o, 3 * BS, v1);
        long id2 = write(o, 3 * BS, v2);

        assertThat(read(o, 3 * BS, v2)).isEmpty();
        List<Violation> stale = read(o, 3 * BS, v1);

        assertThat(stale).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
            assertThat(v.offset()).isEqualTo(3 * BS);
            assertThat(v.length()).isEqualTo(2 * BS);
            assertThat(v.actual()).startsWith("v" + id1 + " ");
            assertThat(v.expected()).startsWith("v" + id2 + " ");
        });
    }

    @Test
    void aBlockTornBetweenTwoVersionsIsTornNotCorrupt() {
        MemoryMedia m = new MemoryMedia(BS, 16);
        HistoryOracle o = m.oracle;
        byte[] v1 = content(BS, 1);
        byte[] v2 = content(BS, 2);
        write(o, 0, v1);
        write(o, 0, v2);
        byte[] torn = v2.clone();
        System.arraycopy(v1, 0, torn, 0, 512); // the sector fingerprints tell the versions apart

        assertThat(read(o, 0, torn)).singleElement().extracting(Violation::kind).isEqualTo(ViolationKind.TORN_READ);
    }

    @Test
    void aShortArrayOrANegativeLengthIsRefusedNamingTheValues() {
        MemoryMedia m = new MemoryMedia(BS, 16);
        HistoryOracle o = m.oracle;
        long id = o.writeSubmitted(0, 2 * BS, "writer");
        assertThatThrownBy(() -> o.writeLanded(id, 0, 2 * BS, new int[16], 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length 16 at offset 1")
                .hasMessageContaining("16 sectors");
        assertThatThrownBy(() -> o.writeLanded(id, 0, -BS, new int[16], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-4096");
        assertThatThrownBy(() -> o.writeLanded(id, 0, BS, null, 0))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("sectorCrcs");
    }
}
