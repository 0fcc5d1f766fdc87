package io.staleguard.device.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.loop.internal.FileIdentity;
import io.staleguard.device.loop.internal.LeftoverReaper;
import io.staleguard.device.loop.internal.Losetup;
import io.staleguard.device.loop.internal.LoopAttachment;
import io.staleguard.device.loop.internal.LoopMarker;
import io.staleguard.device.loop.internal.LoopSpec;
import io.staleguard.device.loop.internal.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ownership across JVMs: the shutdown hook releases what an owner never closed, and a later run
 * releases what a kill -9 left behind, and only that. Uses at most two loop devices at a time.
 */
class LoopOwnershipAcrossJvmsTest {

    @RegisterExtension
    final LoopSandbox sandbox = LoopSandbox.perTest(FilesystemType.EXT4, "jvms");

    private Path workDir() {
        return sandbox.workDir();
    }

    private void assertReleased(ChildJvm child) throws IOException {
        assertThat(Losetup.list()).noneMatch(e -> e.backingFile().startsWith(child.image.toString()));
        assertThat(Losetup.status(child.device).filter(e -> e.backingFile().startsWith(child.image.toString()))).isEmpty();
        assertThat(LoopTestSupport.mountedUnder(workDir())).isEmpty();
        assertThat(child.image).doesNotExist();
        assertThat(LoopMarker.markerFor(child.image)).doesNotExist();
    }

    @Test
    void theShutdownHookReleasesADeviceWhoseOwnerExitedWithoutClosing() throws Exception {
        try (ChildJvm child = ChildJvm.start(workDir(), "exit", FilesystemType.NONE)) {
            assertThat(child.waitForExit()).isZero();
            assertReleased(child);
        }
    }

    @Test
    void theShutdownHookReleasesADeviceWhenMainDiesOfAnException() throws Exception {
        try (ChildJvm child = ChildJvm.start(workDir(), "throw", FilesystemType.NONE)) {
            assertThat(child.waitForExit()).isEqualTo(1);
            assertReleased(child);
        }
    }

    @Test
    void theShutdownHookUnmountsAndDetachesOnSigterm() throws Exception {
        try (ChildJvm child = ChildJvm.start(workDir(), "hang", FilesystemType.EXT4)) {
            assertThat(Mounts.of(child.device)).isNotEmpty();
            child.process.destroy();
            assertThat(child.waitForExit()).isEqualTo(143);
            assertReleased(child);
        }
    }

    @Test
    void afterKillMinus9TheNextRunReleasesExactlyTheDeadOwnersDevice() throws Exception {
        // Our own live device in the same work directory: must survive the reaping.
        try (LoopAttachment mine = LoopAttachment.open(new LoopSpec(workDir(), 16L << 20, 512, false,
                FilesystemType.NONE, null, null, false, null))) {
            FileIdentity mineId = mine.identity();
            ChildJvm child = ChildJvm.start(workDir(), "hang", FilesystemType.EXT4);
            long deadPid = child.process.pid();
            child.process.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(child.waitForExit()).isEqualTo(137);

            FileIdentity childImage = FileIdentity.of(child.image);
            assertThat(Losetup.status(child.device).orElseThrow().backedBy(childImage))
                    .as("kill -9 leaves the device attached").isTrue();
            assertThat(Mounts.mountedAt(child.device, Path.of(child.mountPoint))).as("and mounted").isTrue();

            // Decoys, all claiming a dead owner: none of them may make the reaper touch our device.
            Path decoyDir = Files.createDirectories(workDir().resolve("run-decoys"));
            // 1. names our live device, but its image is another file
            Path other = Files.write(decoyDir.resolve("other.img"), new byte[4096]);
            new LoopMarker(FileIdentity.of(other), deadPid, 0, mine.device(), "", "NONE", false)
                    .write(decoyDir.resolve("other.img" + LoopMarker.SUFFIX));
            // 2. a forged copy of our live image's identity, with a dead owner
            new LoopMarker(mineId, deadPid, 0, mine.device(), "", "NONE", false)
                    .write(decoyDir.resolve("forged.img" + LoopMarker.SUFFIX));
            // 3. right path, but the inode is not the one recorded (the file was replaced)
            new LoopMarker(new FileIdentity(mineId.path(), mineId.inode() + 1, mineId.device(), mineId.creationId()),
                    deadPid, 0, mine.device(), "", "NONE", false)
                    .write(decoyDir.resolve("replaced.img" + LoopMarker.SUFFIX));

            List<LeftoverReaper.Outcome> outcomes = LeftoverReaper.reap(workDir());
            outcomes.forEach(o -> System.err.println("reaper: " + o.render()));

            assertThat(outcomes).filteredOn(LeftoverReaper.Outcome::released).singleElement()
                    .satisfies(o -> assertThat(o.devices()).containsExactly(child.device));
            assertReleased(child);
            assertThat(Losetup.status(mine.device()).orElseThrow().backedBy(mineId))
                    .as("our live device is untouched").isTrue();
            assertThat(other).as("a file named by a decoy marker is not ours to delete").exists();
            assertThat(outcomes).filteredOn(o -> o.marker().startsWith(decoyDir)).hasSize(3)
                    .noneMatch(LeftoverReaper.Outcome::released);
            assertThat(outcomes).filteredOn(o -> o.marker().equals(mine.markerFile())).singleElement()
                    .satisfies(o -> assertThat(o.reason()).contains("still running"));
        }
    }
}
