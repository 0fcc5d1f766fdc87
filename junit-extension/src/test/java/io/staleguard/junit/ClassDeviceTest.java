package io.staleguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoMode;
import io.staleguard.device.ViolationKind;
import io.staleguard.junit.kit.Kit;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A static {@code @Device} lives for the class and is shared by its tests; each test is judged only on what was
 * found while it ran, so one buggy test does not fail its clean neighbours.
 */
class ClassDeviceTest {

    @TempDir
    Path reports;

    static final List<BlockDevice> SEEN = new ArrayList<>();

    @StaleguardTest
    @Tag("staleguard-kit")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class SharedDevice {
        @Device(size = "1MiB", shortTransfers = 0)
        static BlockDevice device;

        @Test
        @Order(1)
        void cleanBefore() throws Exception {
            SEEN.add(device);
            ByteBuffer b = ByteBuffer.allocate(4096);
            device.write(b, 0, IoMode.BUFFERED);
        }

        @Test
        @Order(2)
        void buggy() throws Exception {
            SEEN.add(device);
            ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
            List<CompletableFuture<Integer>> pending = new ArrayList<>();
            for (int r = 1; r <= 8; r++) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    buffer.put((byte) r);
                }
                buffer.flip();
                pending.add(device.writeAsync(buffer.duplicate(), r * 4096L, IoMode.BUFFERED));
            }
            for (CompletableFuture<Integer> f : pending) {
                f.get();
            }
        }

        @Test
        @Order(3)
        void cleanAfter() throws Exception {
            SEEN.add(device);
            ByteBuffer b = ByteBuffer.allocate(4096);
            device.read(b, 0, IoMode.BUFFERED);
        }
    }

    @Test
    void onlyTheTestThatMisbehavedFails() {
        SEEN.clear();
        EngineExecutionResults r = Kit.run(SharedDevice.class, reports);
        Kit.assertCounts(r, 2, 1, 0);
        IoConsistencyError e = (IoConsistencyError) Kit.failure(r, "buggy");
        assertThat(e.counts()).containsOnlyKeys(ViolationKind.GUARD_TAG);
        assertThat(SEEN).hasSize(3);
        assertThat(SEEN.get(0)).isSameAs(SEEN.get(1)).isSameAs(SEEN.get(2));
    }
}
