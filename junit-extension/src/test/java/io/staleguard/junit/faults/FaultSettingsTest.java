package io.staleguard.junit.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.nio.file.ExtendedOpenOption;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.core.PiMismatch;
import io.staleguard.device.sim.FaultKind;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.junit.Backend;
import io.staleguard.junit.Device;
import io.staleguard.junit.IoConsistencyError;
import io.staleguard.junit.StaleguardTest;
import io.staleguard.junit.kit.Kit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Faults through the extension (issue #13): {@code @Device(faults = …)} and {@code @Device(piMismatch = …)} reach
 * the simulated device, the {@code staleguard.faults} parameter runs an unchanged test class with faults on and
 * its reproduce line replays them, and bad or misplaced fault options are configuration errors naming the value.
 */
class FaultSettingsTest {

    private static final int BS = 4096;

    @TempDir
    Path reports;

    static ByteBuffer aligned(int value) {
        ByteBuffer b = ByteBuffer.allocateDirect(2 * BS).alignedSlice(BS).limit(BS);
        for (int i = 0; i < BS; i++) {
            b.put(i, (byte) value);
        }
        return b;
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class SecondForceFails {
        @Test
        void test(@Device(size = "1MiB", shortTransfers = 0, faults = "fsync-error@2", direct = true) FileChannel ch,
                  @Device(size = "1MiB") SimulatedDevice other) throws Exception {
            ch.write(aligned(1), 0);
            ch.force(true);
            ch.write(aligned(2), BS);
            assertThatThrownBy(() -> ch.force(true)).isInstanceOf(IOException.class).hasMessage("Input/output error");
            ch.force(true); // the retry succeeds
            assertThat(other.faults().isActive()).as("faults are per device").isFalse();
        }
    }

    @Test
    void theSecondForceOfTheAnnotatedDeviceFails() {
        Kit.assertCounts(Kit.run(SecondForceFails.class, reports), 1, 0, 0);
    }

    /** An unchanged test class: write a record through a Path, force it, read it back. */
    @StaleguardTest
    @Tag("staleguard-kit")
    static class RecordRoundTrip {
        @Test
        void roundTrip(@Device(size = "1MiB", shortTransfers = 0) Path dir) throws Exception {
            try (FileChannel ch = FileChannel.open(dir.resolve("record"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
                ch.write(aligned(42), 0);
                ch.force(true);
                ByteBuffer back = ByteBuffer.allocateDirect(2 * BS).alignedSlice(BS).limit(BS);
                ch.read(back, 0);
            }
        }
    }

    @Test
    void anUnchangedClassPassesWithoutFaults() {
        Kit.assertCounts(Kit.run(RecordRoundTrip.class, reports), 1, 0, 0);
    }

    @Test
    void theFaultsParameterRunsAnUnchangedClassWithFaultsAndItsReproduceLineReplaysThem() {
        EngineExecutionResults r = Kit.run(RecordRoundTrip.class, reports, "staleguard.faults", "lost-write@1");
        Kit.assertCounts(r, 0, 1, 0);
        IoConsistencyError e = (IoConsistencyError) Kit.failure(r, "roundTrip");
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
            assertThat(v.location()).isNotNull();
            assertThat(v.location().path()).endsWith("/record");
            assertThat(v.timeline()).anySatisfy(t -> assertThat(t.note()).startsWith("lost-write"));
        });
        String line = e.reproduceCommand();
        assertThat(line).contains("-Dstaleguard.seed=0x").endsWith("-Dstaleguard.faults=lost-write@1");

        // Run again as the line says: the same fault, the same failure.
        EngineExecutionResults again = Kit.run(RecordRoundTrip.class, reports, "staleguard.faults", "lost-write@1");
        IoConsistencyError e2 = (IoConsistencyError) Kit.failure(again, "roundTrip");
        assertThat(e2.violations()).extracting(v -> v.kind() + "@" + v.lba())
                .isEqualTo(e.violations().stream().map(v -> v.kind() + "@" + v.lba()).toList());
        // "none" turns the annotation's and the property's faults off.
        Kit.assertCounts(Kit.run(RecordRoundTrip.class, reports, "staleguard.faults", "none"), 1, 0, 0);
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class FailedRead {
        @Test
        void test(@Device(size = "1MiB", shortTransfers = 0, piMismatch = PiMismatch.FAIL_READ) SimulatedDevice d)
                throws Exception {
            d.write(aligned(1), 0, io.staleguard.device.IoMode.DIRECT);
            d.faults().flipBit(7, 2);
            assertThatThrownBy(() -> d.read(ByteBuffer.allocate(BS), 0, io.staleguard.device.IoMode.DIRECT))
                    .isInstanceOf(IOException.class).hasMessage("Input/output error");
            assertThat(d.faults().fired()).singleElement().satisfies(f ->
                    assertThat(f.fault().kind()).isEqualTo(FaultKind.BIT_FLIP));
        }
    }

    @Test
    void piMismatchFailReadFailsTheReadAndTheGuardTagStillFailsTheTest() {
        EngineExecutionResults r = Kit.run(FailedRead.class, reports);
        Kit.assertCounts(r, 0, 1, 0);
        IoConsistencyError e = (IoConsistencyError) Kit.failure(r, "test");
        assertThat(e.violations()).extracting(v -> v.kind()).containsExactly(ViolationKind.GUARD_TAG);
    }

    // ------------------------------------------------------------------ configuration errors

    @StaleguardTest
    @Tag("staleguard-kit")
    static class MisspelledFault {
        @Test
        void test(@Device(faults = "lost-wirte=0.1") SimulatedDevice d) {
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class FaultsOnFile {
        @Test
        void test(@Device(backend = Backend.FILE, faults = "lost-write=0.1") Path dir) {
        }
    }

    @StaleguardTest
    @Tag("staleguard-kit")
    static class FailReadOnFile {
        @Test
        void test(@Device(backend = Backend.FILE, piMismatch = PiMismatch.FAIL_READ) Path dir) {
        }
    }

    private String message(Class<?> sample, String... config) {
        EngineExecutionResults r = Kit.run(sample, reports, config);
        Kit.assertCounts(r, 0, 1, 0);
        Throwable t = Kit.failure(r, "test");
        assertThat(t).isInstanceOf(ExtensionConfigurationException.class);
        return t.getMessage();
    }

    @Test
    void aBadSpecNamesTheBadToken() {
        assertThat(message(MisspelledFault.class)).startsWith("@Device(faults = \"lost-wirte=0.1\"): unknown fault "
                + "'lost-wirte'; known: fsync-error, read-error").contains("[").contains("MisspelledFault");
    }

    @Test
    void aBadFaultsParameterNamesTheParameter() {
        EngineExecutionResults r = Kit.run(FaultsOnFile.class, reports, "staleguard.faults", "bitrot=2");
        Throwable t = r.containerEvents().failed().list().get(0)
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable()
                .orElseThrow();
        assertThat(t).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("staleguard.faults='bitrot=2': rate 2 of bitrot is not in [0, 1]");
    }

    @Test
    void faultsAndFailReadNeedTheSimulatedBackend() {
        assertThat(message(FaultsOnFile.class)).contains("@Device(backend = FILE, faults = \"lost-write=0.1\"): faults "
                + "are injected by the simulated device; Backend.FILE runs the host kernel: use Backend.SIMULATED");
        assertThat(message(FailReadOnFile.class)).contains("@Device(backend = FILE, piMismatch = FAIL_READ)",
                "use Backend.SIMULATED");
    }
}
