package io.staleguard.device.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A frozen copy shares chunks copy-on-write: neither store sees the other's later writes; a reset brings it back. */
class PiStoreFrozenCopyTest {

    private static byte[] tuple(int value) {
        byte[] t = new byte[8];
        Arrays.fill(t, (byte) value);
        return t;
    }

    private static byte[] get(PiStore s, long lba) {
        byte[] t = new byte[8];
        s.get(lba, t, 0, 1);
        return t;
    }

    @Test
    void frozenCopyStaysAsTakenAndResetRestoresIt() {
        PiStore live = new PiStore(8, 4096);
        live.put(3, tuple(1), 0, 1);
        live.put(2000, tuple(2), 0, 1);
        PiStore frozen = live.frozenCopy();
        assertThat(live.allocatedChunks()).isEqualTo(2);

        live.put(3, tuple(9), 0, 1);
        live.discard(2000, 1);
        live.put(4000, tuple(7), 0, 1);
        assertThat(get(frozen, 3)).isEqualTo(tuple(1));
        assertThat(frozen.isWritten(2000)).isTrue();
        assertThat(frozen.isWritten(4000)).isFalse();
        assertThat(get(live, 3)).isEqualTo(tuple(9));

        live.resetTo(frozen);
        assertThat(get(live, 3)).isEqualTo(tuple(1));
        assertThat(get(live, 2000)).isEqualTo(tuple(2));
        assertThat(live.isWritten(4000)).isFalse();
        assertThat(live.writtenCount()).isEqualTo(2);

        live.put(3, tuple(8), 0, 1);                 // after a reset the frozen copy is still protected
        assertThat(get(frozen, 3)).isEqualTo(tuple(1));
        live.resetTo(frozen);
        assertThat(get(live, 3)).isEqualTo(tuple(1));
    }

    @Test
    void resetToAStoreOfAnotherGeometryIsRefused() {
        PiStore live = new PiStore(8, 4096);
        assertThatThrownBy(() -> live.resetTo(new PiStore(16, 4096))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16-byte tuples");
        assertThatThrownBy(() -> live.resetTo(new PiStore(8, 100))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("100 LBAs");
    }
}
