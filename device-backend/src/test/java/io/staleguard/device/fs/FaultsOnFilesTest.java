package io.staleguard.device.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.nio.file.ExtendedOpenOption;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.sim.FaultKind;
import io.staleguard.device.sim.FiredFault;
import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults on the files of the simulated filesystem (issue #13): a fault selected by file fires on that file's
 * operations only, and the violation it leads to names the file.
 */
@Timeout(60)
class FaultsOnFilesTest {

    private static final int BS = 4096;

    private static ByteBuffer aligned(int value) {
        ByteBuffer b = ByteBuffer.allocateDirect(2 * BS).alignedSlice(BS).limit(BS);
        for (int i = 0; i < BS; i++) {
            b.put(i, (byte) value);
        }
        return b;
    }

    private static FileChannel direct(Path p) throws IOException {
        return FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ,
                ExtendedOpenOption.DIRECT);
    }

    private static SimulatedDevice device(String faults) {
        return SimulatedDevice.builder().capacity(4 << 20).seed(0xF11E).dmaDelay(Duration.ZERO, Duration.ZERO)
                .faults(faults).build();
    }

    @Test
    void aLostWriteOfOneFileIsAStaleReadNamingTheFile() throws Exception {
        try (SimulatedDevice device = device("none"); SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            Path a = fs.getPath("/a.log");
            Path b = fs.getPath("/b.log");
            try (FileChannel ca = direct(a); FileChannel cb = direct(b)) {
                ca.write(aligned(1), 0);
                cb.write(aligned(1), 0);
                device.faults().loseWrite(OpMatcher.writes().onFile(b));
                ca.write(aligned(2), 0);
                cb.write(aligned(2), 0);
                ByteBuffer back = ByteBuffer.allocateDirect(2 * BS).alignedSlice(BS).limit(BS);
                ca.read(back, 0);
                assertThat(back.get(0)).isEqualTo((byte) 2);
                back.clear().limit(BS);
                cb.read(back, 0);
                assertThat(back.get(0)).as("the lost write left the old version").isEqualTo((byte) 1);
            }
            List<Violation> vs = device.finish().all();
            assertThat(vs).singleElement().satisfies(v -> {
                assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
                assertThat(v.location().path()).isEqualTo("/b.log");
                assertThat(v.location().offset()).isZero();
            });
        }
    }

    @Test
    void aFileScopedRateFiresOnMatchingFilesOnly() throws Exception {
        try (SimulatedDevice device = device("write-error@file:/test/a*");
             SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
            java.nio.file.Files.createDirectories(fs.getPath("/test"));
            try (FileChannel b = direct(fs.getPath("/test/b.log"))) {
                for (int i = 0; i < 20; i++) {
                    b.write(aligned(i), (long) i * BS);
                }
            }
            assertThat(device.faults().fired()).as("never on /test/b.log").isEmpty();
            try (FileChannel a = direct(fs.getPath("/test/a.log"))) {
                assertThatThrownBy(() -> a.write(aligned(2), 0)).isInstanceOf(IOException.class)
                        .hasMessage("Input/output error");
            }
            List<FiredFault> fired = device.faults().fired();
            assertThat(fired).singleElement().satisfies(f -> {
                assertThat(f.fault().kind()).isEqualTo(FaultKind.WRITE_ERROR);
                assertThat(f.fault().origin()).isEqualTo("spec write-error@file:/test/a*");
            });
        }
    }
}
