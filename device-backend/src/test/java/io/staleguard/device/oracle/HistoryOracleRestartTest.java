package io.staleguard.device.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.ViolationKind;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** After {@link HistoryOracle#restart}, what the media holds is the initial content: older bytes are no stale read. */
class HistoryOracleRestartTest {

    private static final int BS = 4096;

    private static byte[] block(int value) {
        byte[] b = new byte[BS];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void aReadOfTheCrashStatesOlderBytesIsCleanAfterARestartAndStaleWithout() {
        for (boolean restart : new boolean[] {true, false}) {
            MemoryMedia m = new MemoryMedia(BS, 8);
            m.write(0, block(1), "workload");
            m.write(0, block(2), "workload");
            // The power cycle puts the older bytes back on the media.
            System.arraycopy(block(1), 0, m.media, 0, BS);
            if (restart) {
                m.oracle.restart(InitialContent.fromMedia(m));
            }
            long token = m.oracle.readStarted(0, BS, "recovery");
            m.oracle.readCompleted(token, 0, ByteBuffer.wrap(block(1)), "recovery");
            long stale = m.recorder.count(ViolationKind.STALE_READ);
            assertThat(stale).as("restart " + restart).isEqualTo(restart ? 0 : 1);
        }
    }

    @Test
    void writesInFlightAreForgottenAndNewWritesAreTrackedAgain() {
        MemoryMedia m = new MemoryMedia(BS, 8);
        m.submit(BS, BS, "workload");
        assertThat(m.oracle.writesInFlight()).isEqualTo(1);
        m.oracle.restart(InitialContent.fromMedia(m));
        assertThat(m.oracle.writesInFlight()).isZero();
        m.write(BS, block(5), "recovery");
        m.write(BS, block(6), "recovery");
        long token = m.oracle.readStarted(BS, BS, "recovery");
        m.oracle.readCompleted(token, BS, ByteBuffer.wrap(block(5)), "recovery");
        assertThat(m.recorder.count(ViolationKind.STALE_READ)).as("a stale read after the restart is caught").isEqualTo(1);
        assertThat(m.oracle.initialContent().policy()).isEqualTo(InitialContent.Policy.FROM_MEDIA);
    }
}
