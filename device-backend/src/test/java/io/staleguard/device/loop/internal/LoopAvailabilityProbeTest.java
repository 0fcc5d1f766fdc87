package io.staleguard.device.loop.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.loop.Availability;
import io.staleguard.device.loop.FilesystemType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The availability reasons are precise: each missing prerequisite is named. */
class LoopAvailabilityProbeTest {

    @Test
    void aMissingMkfsIsNamedWithItsPackage() {
        Assumptions.assumeTrue(LoopAvailabilityProbe.effectiveUid() == 0, "needs root to get past the root check");
        Availability a = LoopAvailabilityProbe.check(FilesystemType.XFS, false,
                tool -> tool.equals("mkfs.xfs") ? Optional.empty() : HostCommand.find(tool));
        assertThat(a.available()).isFalse();
        assertThat(a.reason()).isEqualTo("mkfs.xfs is missing (install xfsprogs)");
        assertThat(a).hasToString("unavailable: mkfs.xfs is missing (install xfsprogs)");
        Availability b = LoopAvailabilityProbe.check(FilesystemType.BTRFS, false,
                tool -> tool.equals("mkfs.btrfs") ? Optional.empty() : HostCommand.find(tool));
        assertThat(b.reason()).isEqualTo("mkfs.btrfs is missing (install btrfs-progs)");
    }

    @Test
    void aMissingLosetupIsNamed() {
        Assumptions.assumeTrue(LoopAvailabilityProbe.effectiveUid() == 0, "needs root to get past the root check");
        Availability a = LoopAvailabilityProbe.check(FilesystemType.NONE, true,
                tool -> tool.equals("losetup") ? Optional.empty() : HostCommand.find(tool));
        assertThat(a.reason()).isEqualTo("losetup is missing (install mount)");
    }

    @Test
    void theFilesystemIsNotAskedForWithoutOne() {
        Assumptions.assumeTrue(LoopAvailabilityProbe.effectiveUid() == 0, "needs root to get past the root check");
        Availability a = LoopAvailabilityProbe.check(FilesystemType.NONE, false,
                tool -> tool.startsWith("mkfs") ? Optional.empty() : HostCommand.find(tool));
        assertThat(a.available()).as(a.toString()).isTrue();
    }

    @Test
    void aJvmThatIsNotRootIsToldSoWithItsUid() throws IOException, InterruptedException {
        Assumptions.assumeTrue(LoopAvailabilityProbe.effectiveUid() == 0 && HostCommand.find("setpriv").isPresent(),
                "needs root and setpriv to start a JVM as nobody");
        String cp = Path.of("target", "classes").toAbsolutePath() + ":" + Path.of("target", "test-classes")
                .toAbsolutePath();
        Process p = new ProcessBuilder(List.of(HostCommand.find("setpriv").get().toString(), "--reuid=65534",
                "--regid=65534", "--clear-groups", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, AvailabilityChildMain.class.getName())).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        Assumptions.assumeTrue(p.exitValue() == 0, "nobody cannot run the test classes here: " + out);
        assertThat(out).isEqualTo("unavailable: not root (effective uid 65534): attaching loop devices needs root");
    }
}
