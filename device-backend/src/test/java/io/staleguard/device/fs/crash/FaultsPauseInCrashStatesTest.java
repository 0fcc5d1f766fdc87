package io.staleguard.device.fs.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Injected faults (issue #13) fire in the recorded workload only: the crash states are built and recovered on
 * honest media (plan §8 Q12), and the faults are armed again after the exploration.
 */
class FaultsPauseInCrashStatesTest {

    @Test
    void recoveryReadsWithEveryReadFailingOutsideTheExploration() throws IOException {
        try (SimulatedDevice device = SimulatedDevice.builder().capacity(16 << 20).seed(0xFA17).build();
             SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Path log = Files.createDirectory(fs.getPath("/test")).resolve("log");
            CrashExplorer crash = CrashExplorer.start(fs, CrashSettings.defaults(0xFA17).withBudget(20));
            byte[] record = new byte[4096];
            Arrays.fill(record, (byte) 7);
            try (FileChannel ch = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(record), 0);
                ch.force(true);
            }
            try (FileChannel d = FileChannel.open(log.getParent(), StandardOpenOption.READ)) {
                d.force(true);
            }
            crash.acknowledge(log);
            // Every later read and write of the device fails, and every fsync: none may reach the exploration.
            device.faults().rates("read-error,write-error,fsync-error");
            AtomicInteger recovered = new AtomicInteger();
            CrashOutcome out = crash.explore(state -> {
                assertThat(device.faults().isActive()).isFalse();
                if (Files.exists(log)) {
                    byte[] got = Files.readAllBytes(log);
                    assertThat(got.length).isLessThanOrEqualTo(record.length);
                }
                recovered.incrementAndGet();
            });
            assertThat(out.violations()).isEmpty();
            assertThat(recovered.get()).isEqualTo(out.explored()).isPositive();
            assertThat(device.faults().fired()).isEmpty();
            assertThat(device.faults().isActive()).as("armed again after the exploration").isTrue();
            assertThatThrownBy(device::flush).isInstanceOf(IOException.class).hasMessage("Input/output error");
        }
    }
}
