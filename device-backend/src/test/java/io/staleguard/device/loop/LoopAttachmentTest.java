package io.staleguard.device.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.loop.internal.FileIdentity;
import io.staleguard.device.loop.internal.HostCommand;
import io.staleguard.device.loop.internal.LifecycleHook;
import io.staleguard.device.loop.internal.LifecycleStage;
import io.staleguard.device.loop.internal.Losetup;
import io.staleguard.device.loop.internal.LoopAttachment;
import io.staleguard.device.loop.internal.LoopMarker;
import io.staleguard.device.loop.internal.LoopSpec;
import io.staleguard.device.loop.internal.Mounts;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Lifecycle and safety rules of loop attachments, on real loop devices (root). */
class LoopAttachmentTest {

    @RegisterExtension
    final LoopSandbox sandbox = LoopSandbox.perTest(FilesystemType.NONE, "attach");

    private Path workDir() {
        return sandbox.workDir();
    }

    private LoopSpec spec(long size, int sector, boolean dio, FilesystemType fs) {
        return new LoopSpec(workDir(), size, sector, dio, fs, null, null, false, null);
    }

    private List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void attachesItsOwnImageWithTheAskedSectorSizeAndDirectIoAndReleasesEverythingOnClose() throws IOException {
        Path image;
        String device;
        Path marker;
        try (LoopAttachment a = LoopAttachment.open(spec(64L << 20, 4096, true, FilesystemType.NONE))) {
            image = a.image();
            device = a.device();
            marker = a.markerFile();
            assertThat(image).startsWith(workDir().toAbsolutePath());
            assertThat(Files.size(image)).isEqualTo(64L << 20);
            Losetup.Entry e = Losetup.status(device).orElseThrow();
            assertThat(e.backedBy(FileIdentity.of(image))).isTrue();
            assertThat(e.sectorSize()).isEqualTo(4096);
            assertThat(e.directIo()).isTrue();
            LoopMarker m = LoopMarker.read(marker);
            assertThat(m.loopDevice()).isEqualTo(device);
            assertThat(m.ownerPid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(m.image().inode()).isEqualTo(e.backingInode());
            assertThat(m.ownsImage()).isTrue();
        }
        assertThat(Losetup.status(device).filter(x -> x.backingFile().equals(image.toString()))).isEmpty();
        assertThat(image).doesNotExist();
        assertThat(marker).doesNotExist();
        assertThat(filesUnder(workDir())).isEmpty();
    }

    @Test
    void sector512WithBufferedBackingIo() throws IOException {
        try (LoopAttachment a = LoopAttachment.open(spec(16L << 20, 512, false, FilesystemType.NONE))) {
            Losetup.Entry e = Losetup.status(a.device()).orElseThrow();
            assertThat(e.sectorSize()).isEqualTo(512);
            assertThat(e.directIo()).isFalse();
        }
    }

    @Test
    void ext4IsFormattedAndMountedOnADirectoryOfThisRunAndUnmountedOnClose() throws IOException {
        LoopTestSupport.requireLoop(FilesystemType.EXT4);
        Path mp;
        String device;
        try (LoopAttachment a = LoopAttachment.open(spec(32L << 20, 4096, true, FilesystemType.EXT4))) {
            mp = a.mountPoint().orElseThrow();
            device = a.device();
            assertThat(mp).startsWith(workDir().toAbsolutePath());
            assertThat(Mounts.of(device)).singleElement().satisfies(m -> {
                assertThat(m.mountPoint()).isEqualTo(mp);
                assertThat(m.type()).isEqualTo("ext4");
            });
            Files.writeString(mp.resolve("hello.txt"), "on a real filesystem");
            assertThat(LoopMarker.read(a.markerFile()).mountPoint()).isEqualTo(mp.toString());
        }
        assertThat(Mounts.of(device).stream().filter(m -> m.mountPoint().equals(mp))).isEmpty();
        assertThat(mp).doesNotExist();
    }

    @Test
    void refusesADevicePathItDidNotAttach() throws IOException {
        for (String dev : List.of("/dev/vda", "/dev/loop7", "/dev/loop0")) {
            LoopSpec s = new LoopSpec(workDir(), 0, 4096, false, FilesystemType.EXT4, null, Path.of(dev), false, null);
            assertThatThrownBy(() -> LoopAttachment.open(s)).isInstanceOf(ForeignDeviceException.class)
                    .hasMessageContaining("refusing device " + dev).hasMessageContaining("allowForeignDevice");
        }
        assertThat(filesUnder(workDir())).isEmpty();
    }

    @Test
    void refusesAnImageItDidNotCreateAndNamesTheSignatureItCarries() throws IOException {
        Path foreign = workDir().resolve("someone-elses.img");
        try (RandomAccessFile f = new RandomAccessFile(foreign.toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        HostCommand.check("mkfs.ext4", "-q", "-F", foreign.toString());
        byte[] before = Files.readAllBytes(foreign);
        LoopSpec s = new LoopSpec(workDir(), 0, 4096, false, FilesystemType.NONE, foreign, null, false, null);
        assertThatThrownBy(() -> LoopAttachment.open(s)).isInstanceOf(ForeignDeviceException.class)
                .hasMessageContaining("refusing image " + foreign.toAbsolutePath())
                .hasMessageContaining("ext4 signature this run did not write");
        Path blank = workDir().resolve("blank.img");
        Files.write(blank, new byte[1 << 20]);
        LoopSpec s2 = new LoopSpec(workDir(), 0, 4096, false, FilesystemType.NONE, blank, null, false, null);
        assertThatThrownBy(() -> LoopAttachment.open(s2)).isInstanceOf(ForeignDeviceException.class)
                .hasMessageContaining("not created by this run").hasMessageNotContaining("signature");
        assertThat(Files.readAllBytes(foreign)).isEqualTo(before);
        assertThat(LoopTestSupport.attachedUnder(workDir())).isEmpty();
    }

    @Test
    void allowForeignDeviceAttachesAGivenImageButNeverDeletesIt() throws IOException {
        Path foreign = workDir().resolve("mine-to-lend.img");
        try (RandomAccessFile f = new RandomAccessFile(foreign.toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        HostCommand.check("mkfs.ext4", "-q", "-F", foreign.toString());
        LoopSpec s = new LoopSpec(workDir(), 0, 4096, false, FilesystemType.NONE, foreign, null, true, null);
        String device;
        try (LoopAttachment a = LoopAttachment.open(s)) {
            device = a.device();
            assertThat(Losetup.status(device).orElseThrow().backedBy(FileIdentity.of(foreign))).isTrue();
        }
        assertThat(foreign).exists();
        assertThat(Losetup.associated(FileIdentity.of(foreign))).isEmpty();
    }

    @Test
    void aDeviceTheCallerAttachedIsUsedWithConsentButNeverDetached() throws IOException {
        Path img = workDir().resolve("caller.img");
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(8L << 20);
        }
        FileIdentity id = FileIdentity.of(img);
        String dev = Losetup.attach(id, 512, false);
        try {
            LoopSpec s = new LoopSpec(workDir(), 0, 512, false, FilesystemType.NONE, null, Path.of(dev), true, null);
            try (LoopAttachment a = LoopAttachment.open(s)) {
                assertThat(a.device()).isEqualTo(dev);
                assertThat(a.ownsDevice()).isFalse();
            }
            assertThat(Losetup.status(dev).orElseThrow().backedBy(id)).as("still attached after close").isTrue();
        } finally {
            Losetup.detachVerified(dev, id);
        }
    }

    @Test
    void anImageTamperedWithAfterCreationIsRefusedBeforeAttach() throws IOException {
        // Someone else formats our image between its creation and the attach.
        LifecycleHook foreignMkfs = (stage, a) -> {
            if (stage == LifecycleStage.MARKER_WRITTEN) {
                HostCommand.check("mkfs.ext4", "-q", "-F", a.image().toString());
            }
        };
        LoopSpec s = new LoopSpec(workDir(), 64L << 20, 4096, false, FilesystemType.NONE, null, null, false, foreignMkfs);
        assertThatThrownBy(() -> LoopAttachment.open(s)).isInstanceOf(ForeignDeviceException.class)
                .hasMessageContaining("ext4 signature this run did not write");
        assertThat(LoopTestSupport.attachedUnder(workDir())).isEmpty();
        assertThat(filesUnder(workDir())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(LifecycleStage.class)
    void aFailureAfterAnySetupStepUndoesEveryStep(LifecycleStage failAt) throws IOException {
        LoopTestSupport.requireLoop(FilesystemType.EXT4);
        LifecycleHook failing = (stage, a) -> {
            if (stage == failAt) {
                throw new IOException("injected failure after " + stage);
            }
        };
        LoopSpec s = new LoopSpec(workDir(), 32L << 20, 4096, true, FilesystemType.EXT4, null, null, false, failing);
        if (failAt == LifecycleStage.OPENED) {
            // OPENED belongs to LoopDevice; the attachment alone completes.
            LoopAttachment.open(s).close();
        } else {
            assertThatThrownBy(() -> LoopAttachment.open(s)).hasMessage("injected failure after " + failAt);
        }
        assertThat(LoopTestSupport.attachedUnder(workDir())).isEmpty();
        assertThat(LoopTestSupport.mountedUnder(workDir())).isEmpty();
        assertThat(filesUnder(workDir())).isEmpty();
    }

    @Test
    void aTestThatFailsInsideTryWithResourcesStillDetaches() throws IOException {
        String[] device = new String[1];
        assertThatThrownBy(() -> {
            try (LoopAttachment a = LoopAttachment.open(spec(16L << 20, 512, false, FilesystemType.NONE))) {
                device[0] = a.device();
                throw new AssertionError("the test failed");
            }
        }).isInstanceOf(AssertionError.class);
        assertThat(device[0]).startsWith("/dev/loop");
        assertThat(LoopTestSupport.attachedUnder(workDir())).isEmpty();
    }

    @Test
    void badSettingsAreRejectedNamingTheValue() {
        assertThatThrownBy(() -> spec(64L << 20, 1024, true, FilesystemType.NONE))
                .hasMessageContaining("sectorSize 1024");
        assertThatThrownBy(() -> spec(1000, 512, true, FilesystemType.NONE)).hasMessageContaining("size 1000");
        assertThatThrownBy(() -> spec(64L << 20, 4096, true, FilesystemType.XFS))
                .hasMessageContaining("too small for XFS");
    }
}
