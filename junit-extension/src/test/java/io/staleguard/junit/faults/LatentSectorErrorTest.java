package io.staleguard.junit.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.junit.Device;
import io.staleguard.junit.IoConsistencyError;
import io.staleguard.junit.StaleguardTest;
import io.staleguard.junit.kit.Kit;
import io.staleguard.junit.kit.faults.CachingBlockStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A latent sector error on read (issue #13): a block cache that swallows the {@code IOException} and serves zeros
 * is caught by its own read-back and by {@code checkServed} (a {@code STALE_READ} of the block); its twin
 * propagates the error, and the block reads again once it was rewritten.
 */
class LatentSectorErrorTest {

    private static final int BS = 4096;

    @TempDir
    Path reports;

    static byte[] block(int value) {
        byte[] b = new byte[BS];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class Store {
        @Test
        void buggy(@Device(size = "1MiB", shortTransfers = 0) SimulatedDevice d) throws Exception {
            CachingBlockStore store = new CachingBlockStore(d, true);
            store.write(2, block(7));
            d.faults().failReads(2 * BS, BS);
            byte[] served = store.read(2);
            assertThat(served).as("the program's own read-back sees the bug").isNotEqualTo(block(7)).containsOnly(0);
        }

        @Test
        void twin(@Device(size = "1MiB", shortTransfers = 0) SimulatedDevice d) throws Exception {
            CachingBlockStore store = new CachingBlockStore(d, false);
            store.write(2, block(7));
            d.faults().failReads(2 * BS, BS);
            assertThatThrownBy(() -> store.read(2)).isInstanceOf(IOException.class).hasMessage("Input/output error");
            store.write(2, block(8)); // the rewrite clears the latent error (a remapped sector)
            assertThat(store.read(2)).isEqualTo(block(8));
            assertThat(d.faults().fired()).hasSize(1);
        }

        @Test
        void faultsOff(@Device(size = "1MiB", shortTransfers = 0) SimulatedDevice d) throws Exception {
            CachingBlockStore store = new CachingBlockStore(d, true);
            store.write(2, block(7));
            assertThat(store.read(2)).isEqualTo(block(7));
            assertThat(d.faults().fired()).isEmpty();
        }
    }

    @Test
    void servingZerosForABadBlockIsAStaleReadOfThatBlockAndTheTwinIsClean() {
        EngineExecutionResults r = Kit.run(Store.class, reports);
        Kit.assertCounts(r, 2, 1, 0);
        IoConsistencyError e = (IoConsistencyError) Kit.failure(r, "buggy");
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
            assertThat(v.lba()).isEqualTo(2);
            assertThat(v.timeline()).anySatisfy(t -> assertThat(t.note()).contains("read-error: block 2 is bad"));
        });
        assertThat(e.violations()).extracting(Violation::kind).doesNotContain(ViolationKind.GUARD_TAG);
    }
}
