package io.staleguard.device.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.IoMode;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.hooks.Gate;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.hooks.Stage;
import io.staleguard.device.loop.internal.FileIdentity;
import io.staleguard.device.loop.internal.LifecycleStage;
import io.staleguard.device.loop.internal.Losetup;
import io.staleguard.device.loop.internal.Mounts;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** LoopDevice through its public API, on real loop devices (root). */
class LoopDeviceTest {

    @RegisterExtension
    final LoopSandbox sandbox = LoopSandbox.perTest(FilesystemType.NONE, "device");

    private Path workDir() {
        return sandbox.workDir();
    }

    private static ByteBuffer aligned(int size) {
        return ByteBuffer.allocateDirect(size + 4096).alignedSlice(4096).limit(size);
    }

    private static byte[] pattern(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(FilesystemType.class)
    void aBufferReusedBeforeAnAsyncWriteLandsIsAGuardTagOnEveryFilesystem(FilesystemType fs) throws Exception {
        LoopTestSupport.requireLoop(fs);
        long size = Math.max(fs.minimumSize(), 16L << 20);
        try (LoopDevice dev = LoopDevice.builder().workDir(workDir()).size(size).filesystem(fs).capacity(1 << 20)
                .seed(3).build()) {
            assertThat(dev.filesystem()).isEqualTo(fs);
            assertThat(dev.loopDevice()).startsWith("/dev/loop");
            assertThat(dev.logicalBlockSize()).isEqualTo(4096);
            ByteBuffer buf = aligned(2 * 4096);
            byte[] submitted = pattern(2 * 4096, 1);
            buf.put(submitted).flip();
            Gate gate = dev.hooks().pause(OpMatcher.writes().async().atStage(Stage.DMA));
            CompletableFuture<Integer> f = dev.writeAsync(buf, 16 * 4096, IoMode.DIRECT);
            gate.awaitPaused(Duration.ofSeconds(10));
            buf.put(5, (byte) ~submitted[5]);
            gate.release();
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(8192);
            assertThat(dev.violations().ofKind(ViolationKind.GUARD_TAG)).singleElement().satisfies(v -> {
                assertThat(v.offset()).isEqualTo(16 * 4096);
                assertThat(v.firstDiffOffset()).isEqualTo(16 * 4096 + 5);
            });
            // The correct twin on the same device: reuse only after completion.
            buf.clear();
            buf.put(submitted).flip();
            assertThat(dev.writeAsync(buf, 32 * 4096, IoMode.DIRECT).get(10, TimeUnit.SECONDS)).isEqualTo(8192);
            ByteBuffer back = aligned(2 * 4096);
            dev.read(back, 32 * 4096, IoMode.BUFFERED);
            assertThat(back.flip()).isEqualTo(ByteBuffer.wrap(submitted));
            assertThat(dev.scrub()).isEqualTo(4);
            assertThat(dev.violations().total()).isEqualTo(1);
            if (fs == FilesystemType.NONE) {
                assertThat(dev.path()).isEqualTo(Path.of(dev.loopDevice()));
                assertThatThrownBy(dev::mountPoint).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("no filesystem");
            } else {
                Path mp = dev.mountPoint();
                assertThat(Mounts.of(dev.loopDevice())).anySatisfy(m -> {
                    assertThat(m.mountPoint()).isEqualTo(mp);
                    assertThat(m.type()).isEqualTo(fs.type());
                });
                assertThat(dev.path()).isEqualTo(mp.resolve(LoopDevice.DATA_FILE));
                Files.writeString(mp.resolve("user-file.txt"), "a real " + fs.type() + " on a real block device");
                assertThat(dev.describe()).contains(fs.type());
            }
        }
    }

    @Test
    void sectorSize512WithBufferedLoopBackingIo() throws IOException {
        try (LoopDevice dev = LoopDevice.builder().workDir(workDir()).size(4L << 20).sectorSize(512).directIo(false)
                .seed(1).build()) {
            assertThat(dev.logicalBlockSize()).isEqualTo(512);
            assertThat(dev.capacity()).isEqualTo(4L << 20);
            assertThat(dev.loopDirectIo()).isFalse();
            Losetup.Entry e = Losetup.status(dev.loopDevice()).orElseThrow();
            assertThat(e.sectorSize()).isEqualTo(512);
            assertThat(e.directIo()).isFalse();
            ByteBuffer b = ByteBuffer.allocateDirect(1024).alignedSlice(512).limit(512);
            b.put(pattern(512, 9)).flip();
            assertThat(dev.write(b, 512 * 7, IoMode.DIRECT)).isEqualTo(512);
            assertThat(dev.violations().total()).isZero();
        }
    }

    @Test
    void theBuilderRefusesForeignDevicesAndImagesBeforeTouchingAnything() throws IOException {
        assertThatThrownBy(() -> LoopDevice.builder().workDir(workDir()).existingDevice(Path.of("/dev/vda")).build())
                .isInstanceOf(ForeignDeviceException.class).hasMessageContaining("/dev/vda");
        Path img = workDir().resolve("theirs.img");
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        io.staleguard.device.loop.internal.HostCommand.check("mkfs.ext4", "-q", "-F", img.toString());
        assertThatThrownBy(() -> LoopDevice.builder().workDir(workDir()).existingImage(img).build())
                .isInstanceOf(ForeignDeviceException.class).hasMessageContaining("ext4 signature");
        assertThat(Losetup.associated(FileIdentity.of(img))).isEmpty();
    }

    @Test
    void withConsentADeviceTheCallerAttachedIsUsedWithItsContentAndLeftAttached() throws IOException {
        Path img = workDir().resolve("callers.img");
        byte[] existing = pattern(8192, 77);
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(8L << 20);
            f.write(existing);
        }
        FileIdentity id = FileIdentity.of(img);
        String dev = Losetup.attach(id, 4096, false);
        try {
            try (LoopDevice d = LoopDevice.builder().workDir(workDir()).existingDevice(Path.of(dev))
                    .allowForeignDevice(true).seed(1).build()) {
                ByteBuffer r = aligned(8192);
                d.read(r, 0, IoMode.DIRECT);
                assertThat(r.flip()).isEqualTo(ByteBuffer.wrap(existing));
                assertThat(d.violations().total()).as("foreign content is adopted, not flagged").isZero();
            }
            assertThat(Losetup.status(dev).orElseThrow().backedBy(id)).as("not ours to detach").isTrue();
        } finally {
            Losetup.detachVerified(dev, id);
        }
    }

    @Test
    void aFailureWhileOpeningTheDeviceReleasesTheAttachment() throws IOException {
        assertThatThrownBy(() -> LoopDevice.builder().workDir(workDir()).size(8L << 20).lifecycleHook((stage, a) -> {
            if (stage == LifecycleStage.OPENED) {
                throw new IOException("injected after open");
            }
        }).build()).hasMessage("injected after open");
        assertThat(LoopTestSupport.attachedUnder(workDir())).isEmpty();
        assertThatThrownBy(() -> LoopDevice.builder().workDir(workDir()).size(8L << 20).capacity(16L << 20).build())
                .hasMessageContaining("capacity 16777216");
        assertThat(LoopTestSupport.attachedUnder(workDir())).isEmpty();
    }

    @Test
    void availabilityAndReapingArePublic() throws IOException {
        assertThat(LoopDevice.availability()).isEqualTo(Availability.ok());
        assertThat(LoopDevice.availability(FilesystemType.EXT4).toString()).isIn("available",
                "unavailable: mkfs.ext4 is missing (install e2fsprogs)");
        assertThat(LoopDevice.reapLeftovers(workDir())).isEmpty();
        assertThat(LoopDevice.defaultWorkDir().getFileName()).hasToString("staleguard-loop");
    }
}
