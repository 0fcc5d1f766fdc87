package io.staleguard.device.loop;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.file.RealBlockDevice;
import io.staleguard.device.file.RealDeviceBuilder;
import io.staleguard.device.file.RealTarget;
import io.staleguard.device.core.DeviceSettings;
import io.staleguard.device.core.internal.OptionChecks;
import io.staleguard.device.loop.internal.LeftoverReaper;
import io.staleguard.device.loop.internal.LifecycleHook;
import io.staleguard.device.loop.internal.LifecycleStage;
import io.staleguard.device.loop.internal.LoopAttachment;
import io.staleguard.device.loop.internal.LoopAvailabilityProbe;
import io.staleguard.device.loop.internal.LoopSpec;
import io.staleguard.device.oracle.InitialContent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A {@link io.staleguard.device.BlockDevice} on a Linux loop device this run creates: a sparse
 * image file attached with {@code losetup} (sector size 512 or 4096, the loop driver's own
 * backing I/O direct or buffered), opened through jnr-posix with O_DIRECT or through the page
 * cache. Optionally formatted with ext4, xfs or btrfs and mounted on a temporary directory: the
 * device then works on a data file in that filesystem, and {@link #mountPoint()} gives users a
 * {@link Path} on a real filesystem on a real block device.
 *
 * <pre>{@code
 * Availability a = LoopDevice.availability(FilesystemType.XFS);   // "not root (effective uid 1000)"...
 * try (LoopDevice dev = LoopDevice.builder().size(512 << 20).sectorSize(4096)
 *         .filesystem(FilesystemType.XFS).build()) {
 *     Files.writeString(dev.mountPoint().resolve("x"), "on xfs on /dev/loopN");
 * }
 * }</pre>
 *
 * <h2>Safety</h2>
 * It attaches, formats, mounts and writes only image files and loop devices it created in this
 * run. Any other device path, and any image carrying a filesystem signature it did not write, is
 * refused with a {@link ForeignDeviceException} unless {@link Builder#allowForeignDevice} is set.
 * Everything it attached is unmounted and detached on {@link #close()}, when setup fails, and at
 * JVM exit. A marker file next to each image lets a later run release what a killed JVM left
 * ({@link #reapLeftovers}); this happens automatically the first time a work directory is used.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class LoopDevice extends RealBlockDevice {

    /** Name of the data file on a mounted filesystem. */
    public static final String DATA_FILE = "staleguard-device.img";

    private final LoopAttachment attachment;
    private final FilesystemType filesystem;

    private LoopDevice(DeviceSettings settings, RealTarget target, boolean verifyAfterWrite, LoopAttachment attachment,
                       FilesystemType filesystem) {
        // A fresh image reads as zeros; a foreign image or device holds content nobody told the oracle about.
        super(settings, attachment.spec().existingImage() == null && attachment.spec().existingDevice() == null
                ? InitialContent.zeros() : InitialContent.unknown(), target, verifyAfterWrite,
                () -> description(attachment, filesystem, target.path()), attachment::close);
        this.attachment = attachment;
        this.filesystem = filesystem;
        attachment.setOwner(this);
    }

    /** A builder; see each option for its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether raw loop devices can be used here, and if not, exactly why. */
    public static Availability availability() {
        return availability(FilesystemType.NONE);
    }

    /** Whether loop devices with {@code filesystem} can be used here, and if not, exactly why. */
    public static Availability availability(FilesystemType filesystem) {
        return LoopAvailabilityProbe.check(Objects.requireNonNull(filesystem, "filesystem"));
    }

    /** The default work directory: {@code java.io.tmpdir}/staleguard-loop. */
    public static Path defaultWorkDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "staleguard-loop");
    }

    /**
     * Releases loop devices (and mounts) that dead JVMs left under {@code workDir}, verified by
     * their marker files, and only those; returns one line per marker found.
     */
    public static List<String> reapLeftovers(Path workDir) throws IOException {
        return LeftoverReaper.reap(workDir.toAbsolutePath().normalize()).stream().map(LeftoverReaper.Outcome::render)
                .toList();
    }

    /** The loop device, e.g. {@code /dev/loop3}. */
    public String loopDevice() {
        return attachment.device();
    }

    /** The image file behind the loop device, or null for a foreign device. */
    public Path image() {
        return attachment.image();
    }

    /** The filesystem on the device ({@link FilesystemType#NONE}: the device itself is the I/O target). */
    public FilesystemType filesystem() {
        return filesystem;
    }

    /**
     * Where the filesystem is mounted.
     *
     * @throws IllegalStateException when the device carries no filesystem
     */
    public Path mountPoint() {
        return attachment.mountPoint().orElseThrow(() -> new IllegalStateException(
                "no filesystem on " + attachment.device() + " (built with FilesystemType.NONE)"));
    }

    /** Whether the loop driver does its backing I/O with O_DIRECT. */
    public boolean loopDirectIo() {
        return attachment.spec().loopDirectIo();
    }

    private static String description(LoopAttachment attachment, FilesystemType filesystem, Path path) {
        LoopSpec s = attachment.spec();
        return "LoopDevice(" + attachment.describe() + ", sector " + s.sectorSize() + ", loop dio "
                + (s.loopDirectIo() ? "on" : "off") + (filesystem == FilesystemType.NONE ? ", raw"
                : ", " + filesystem.type() + " file " + path) + ")";
    }

    /** Builds {@link LoopDevice}s. */
    public static final class Builder extends RealDeviceBuilder<Builder> {
        private long size = 64L << 20;
        private Long capacity;
        private int sectorSize = 4096;
        private boolean directIo = true;
        private FilesystemType filesystem = FilesystemType.NONE;
        private Path workDir = defaultWorkDir();
        private boolean allowForeignDevice;
        private Path existingImage;
        private Path existingDevice;
        private LifecycleHook hook = LifecycleHook.NONE;

        private Builder() {
        }

        /** Size of the sparse image in bytes, a multiple of the sector size (default 64 MiB). */
        public Builder size(long bytes) {
            this.size = OptionChecks.positive("size", bytes);
            return this;
        }

        /**
         * Capacity of the device in bytes (default: the image size without a filesystem; a quarter
         * of it, at most 64 MiB, for the data file on a filesystem).
         */
        public Builder capacity(long bytes) {
            this.capacity = OptionChecks.positive("capacity", bytes);
            return this;
        }

        /** Logical sector size of the loop device, also the block size: 512 or 4096 (default 4096). */
        public Builder sectorSize(int bytes) {
            if (bytes != 512 && bytes != 4096) {
                throw new IllegalArgumentException("sectorSize " + bytes + " is not supported (expected 512 or 4096)");
            }
            this.sectorSize = bytes;
            return this;
        }

        /** {@code losetup --direct-io=on|off}: the loop driver's own backing I/O (default on). */
        public Builder directIo(boolean on) {
            this.directIo = on;
            return this;
        }

        /** FilesystemType to create and mount (default NONE: the raw device). */
        public Builder filesystem(FilesystemType fs) {
            this.filesystem = Objects.requireNonNull(fs, "filesystem");
            return this;
        }

        /** Base directory for images and mount points; each run uses its own subdirectory (default {@link #defaultWorkDir()}). */
        public Builder workDir(Path dir) {
            this.workDir = Objects.requireNonNull(dir, "workDir");
            return this;
        }

        /**
         * Explicit consent to attach an image ({@link #existingImage}) or use a device
         * ({@link #existingDevice}) this run did not create (default false: refused).
         */
        public Builder allowForeignDevice(boolean on) {
            this.allowForeignDevice = on;
            return this;
        }

        /** Attach this image instead of creating one; needs {@link #allowForeignDevice}. Never deleted. */
        public Builder existingImage(Path image) {
            this.existingImage = image;
            return this;
        }

        /** Use this block device instead of attaching one; needs {@link #allowForeignDevice}. Never detached. */
        public Builder existingDevice(Path device) {
            this.existingDevice = device;
            return this;
        }

        /** Test support: called after each setup step. */
        Builder lifecycleHook(LifecycleHook h) {
            this.hook = Objects.requireNonNull(h, "hook");
            return this;
        }

        /**
         * Sets the device up. Fails with an {@link IOException} naming the reason when loop devices
         * are unavailable, and with a {@link ForeignDeviceException} for foreign targets.
         */
        public LoopDevice build() throws IOException {
            Availability a = LoopAvailabilityProbe.check(filesystem, existingDevice == null);
            if (!a.available()) {
                throw new IOException("loop device unavailable: " + a.reason());
            }
            LoopSpec spec = new LoopSpec(workDir, size, sectorSize, directIo, filesystem, existingImage,
                    existingDevice, allowForeignDevice, hook);
            LoopAttachment att = LoopAttachment.open(spec);
            RealTarget media = null;
            try {
                att.requireWritable();
                long cap;
                Path target;
                if (filesystem == FilesystemType.NONE) {
                    target = Path.of(att.device());
                    media = RealTarget.open(target, sectorSize, false, true);
                    long devSize = media.size();
                    cap = capacity != null ? capacity : devSize / sectorSize * sectorSize;
                    if (cap > devSize) {
                        throw new IllegalArgumentException("capacity " + cap + " exceeds the size " + devSize + " of "
                                + att.device());
                    }
                } else {
                    target = att.mountPoint().orElseThrow().resolve(DATA_FILE);
                    cap = capacity != null ? capacity : Math.min(64L << 20, size / 4 / sectorSize * sectorSize);
                    media = RealTarget.open(target, sectorSize, true, true);
                    media.truncate(cap);
                }
                if (cap <= 0 || cap % sectorSize != 0) {
                    throw new IllegalArgumentException("capacity " + cap + " is not a positive multiple of the sector"
                            + " size " + sectorSize);
                }
                DeviceSettings settings = settings("LoopDevice", cap, sectorSize);
                spec.hook().after(LifecycleStage.OPENED, att);
                return new LoopDevice(settings, media, verifyAfterWriteOption(), att, filesystem);
            } catch (IOException | RuntimeException | Error e) {
                try {
                    if (media != null) {
                        media.close();
                    }
                    att.close();
                } catch (IOException | RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
    }
}
