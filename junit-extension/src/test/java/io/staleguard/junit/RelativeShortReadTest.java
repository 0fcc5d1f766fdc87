package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.channels.DeviceChannels;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.junit.kit.Kit;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A sender that does one relative {@code channel.read(buf)} per chunk and takes a short chunk as the last one is
 * caught as a positional reader is; a loop that reads until {@code -1} is clean.
 */
class RelativeShortReadTest {

    private static final int CHUNK = 4096;
    private static final int CHUNKS = 64;

    @TempDir
    Path reports;

    /** A channel straight on the device, whose close reaches the device's short-transfer tracker. */
    static FileChannel open(SimulatedDevice device) {
        return DeviceChannels.open(device, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    static void fill(FileChannel ch) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(CHUNK * CHUNKS);
        while (b.hasRemaining()) {
            ch.write(b, b.position());
        }
        ch.position(0);
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class Sender {
        @Test
        void buggy(@Device(shortTransfers = 0.3, size = "256KiB") SimulatedDevice device) throws Exception {
            FileChannel ch = open(device);
            fill(ch);
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            while (ch.read(chunk.clear()) == CHUNK) {
                // sent; a short chunk is taken as the last one
            }
            ch.close();
        }

        @Test
        void correct(@Device(shortTransfers = 0.3, size = "256KiB") SimulatedDevice device) throws Exception {
            FileChannel ch = open(device);
            fill(ch);
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            long sent = 0;
            int n;
            while ((n = ch.read(chunk.clear())) >= 0) {
                sent += n;
            }
            ch.close();
            if (sent != (long) CHUNK * CHUNKS) {
                throw new AssertionError("sent " + sent);
            }
        }
    }

    @Test
    void aShortRelativeChunkTakenAsTheLastIsAShortTransferAndReadingUntilEndIsClean() {
        EngineExecutionResults r = Kit.run(Sender.class, reports);
        Kit.assertCounts(r, 1, 1, 0);
        IoConsistencyError e = (IoConsistencyError) Kit.failure(r, "buggy");
        assertThat(e.counts()).containsOnlyKeys(ViolationKind.SHORT_TRANSFER);
    }

    /** The same sender on the injected views: a {@code FileChannel} parameter and a channel on a {@code BlockDevice}. */
    @StaleguardTest
    @Tag("staleguard-kit")
    static class SenderOnInjectedViews {
        @Test
        void buggyClosesInjectedChannel(@Device(shortTransfers = 0.3, size = "256KiB") FileChannel ch)
                throws Exception {
            fill(ch);
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            while (ch.read(chunk.clear()) == CHUNK) {
                // sent; a short chunk is taken as the last one
            }
            ch.close();
        }

        @Test
        void buggyForcesInjectedChannel(@Device(shortTransfers = 0.3, size = "256KiB") FileChannel ch)
                throws Exception {
            fill(ch);
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            while (ch.read(chunk.clear()) == CHUNK) {
                // sent; a short chunk is taken as the last one
            }
            ch.force(true);
        }

        @Test
        void buggyClosesChannelOnBlockDevice(@Device(shortTransfers = 0.3, size = "256KiB") BlockDevice device)
                throws Exception {
            FileChannel ch = DeviceChannels.open(device, StandardOpenOption.READ, StandardOpenOption.WRITE);
            fill(ch);
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            while (ch.read(chunk.clear()) == CHUNK) {
                // sent; a short chunk is taken as the last one
            }
            ch.close();
        }

        @Test
        void correctClosesInjectedChannel(@Device(shortTransfers = 0.3, size = "256KiB") FileChannel ch)
                throws Exception {
            fill(ch);
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            long sent = 0;
            int n;
            while ((n = ch.read(chunk.clear())) >= 0) {
                sent += n;
            }
            ch.force(true);
            ch.close();
            if (sent != (long) CHUNK * CHUNKS) {
                throw new AssertionError("sent " + sent);
            }
        }
    }

    @Test
    void theInjectedViewsPassCloseAndForceToTheDevicesShortTransferJudgement() {
        EngineExecutionResults r = Kit.run(SenderOnInjectedViews.class, reports);
        Kit.assertCounts(r, 1, 3, 0);
        for (String buggy : new String[] {"buggyClosesInjectedChannel", "buggyForcesInjectedChannel",
                "buggyClosesChannelOnBlockDevice"}) {
            IoConsistencyError e = (IoConsistencyError) Kit.failure(r, buggy);
            assertThat(e.counts()).as(buggy).containsOnlyKeys(ViolationKind.SHORT_TRANSFER);
        }
    }
}
