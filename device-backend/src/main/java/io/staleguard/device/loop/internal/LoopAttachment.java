package io.staleguard.device.loop.internal;

import io.staleguard.device.loop.FilesystemType;
import io.staleguard.device.loop.ForeignDeviceException;
import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One loop device set up by this run: its image, the attached /dev/loopN, the filesystem and
 * mount point if any, and the marker file. {@link #close()} undoes exactly what was done, in
 * reverse order, and nothing else; it is idempotent and also run by the shutdown hook.
 */
public final class LoopAttachment implements Closeable {

    private final LoopSpec spec;
    private final RunDirectory run;
    private final String name;
    private final boolean ownsImage;
    private final boolean ownsDevice;
    private Path image;
    private FileIdentity identity;
    private Path markerFile;
    private LoopMarker marker;
    private volatile String device;
    private Path mountPoint;
    private boolean mounted;
    private boolean closed;
    private volatile Closeable owner;

    private LoopAttachment(LoopSpec spec, RunDirectory run) {
        this.spec = spec;
        this.run = run;
        this.name = run.nextName();
        this.ownsImage = spec.existingImage() == null && spec.existingDevice() == null;
        this.ownsDevice = spec.existingDevice() == null;
    }

    /** Sets up a loop device as {@code spec} says; on any failure undoes every step and rethrows. */
    public static LoopAttachment open(LoopSpec spec) throws IOException {
        checkForeign(spec);
        LoopAttachment a = new LoopAttachment(spec, RunDirectory.of(spec.workDir()));
        try {
            a.setUp();
            return a;
        } catch (IOException | RuntimeException | Error e) {
            try {
                a.close();
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Refuses foreign images and devices before anything is touched. */
    private static void checkForeign(LoopSpec spec) throws IOException {
        if (spec.existingDevice() != null) {
            String dev = spec.existingDevice().toAbsolutePath().normalize().toString();
            if (!spec.allowForeignDevice() && !AttachmentRegistry.owns(dev)) {
                throw new ForeignDeviceException("refusing device " + dev + ": it was not attached by this run"
                        + " (set allowForeignDevice to use a device you own)");
            }
            if (!Files.exists(spec.existingDevice())) {
                throw new IOException("device " + dev + " does not exist");
            }
        }
        if (spec.existingImage() != null) {
            Path img = spec.existingImage().toAbsolutePath().normalize();
            if (!Files.isRegularFile(img)) {
                throw new IOException("image " + img + " is not a regular file");
            }
            if (!spec.allowForeignDevice()) {
                Optional<String> sig = SignatureProbe.probe(img.toString());
                throw new ForeignDeviceException("refusing image " + img + ": it was not created by this run"
                        + sig.map(s -> " and carries a " + s + " signature this run did not write").orElse("")
                        + " (set allowForeignDevice to use an image you own)");
            }
        }
    }

    private void setUp() throws IOException {
        AttachmentRegistry.register(this);
        if (ownsDevice) {
            if (ownsImage) {
                image = run.path().resolve(name + ".img");
                createSparseImage(image, spec.size());
            } else {
                image = spec.existingImage().toAbsolutePath().normalize();
            }
            identity = FileIdentity.of(image);
            spec.hook().after(LifecycleStage.IMAGE_CREATED, this);
            markerFile = run.path().resolve((ownsImage ? name + ".img" : name + "-foreign") + LoopMarker.SUFFIX);
            marker = LoopMarker.ownedByThisJvm(identity, spec.filesystem().name(), ownsImage);
            marker.write(markerFile);
            spec.hook().after(LifecycleStage.MARKER_WRITTEN, this);
            if (ownsImage) {
                requireBlank(image.toString(), "image");
                requireSameImage();
            }
            device = Losetup.attach(identity, spec.sectorSize(), spec.loopDirectIo());
            marker = marker.withLoopDevice(device);
            marker.write(markerFile);
        } else {
            device = spec.existingDevice().toAbsolutePath().normalize().toString();
        }
        spec.hook().after(LifecycleStage.ATTACHED, this);
        FilesystemType fs = spec.filesystem();
        if (fs != FilesystemType.NONE) {
            boolean foreign = !ownsImage;
            if (!foreign) {
                requireBlank(device, "device");
            }
            requireWritable();
            Mkfs.format(fs.type(), device, foreign && spec.allowForeignDevice());
            spec.hook().after(LifecycleStage.FORMATTED, this);
            mountPoint = run.path().resolve(name + ".mnt");
            if (marker != null) {
                // Recorded before mounting, so a death right after the mount is still covered.
                marker = marker.withMountPoint(mountPoint.toString());
                marker.write(markerFile);
            }
            mounted = true;
            Mounts.mount(device, mountPoint, fs.type());
            spec.hook().after(LifecycleStage.MOUNTED, this);
        }
    }

    private static void createSparseImage(Path image, long size) throws IOException {
        Files.createFile(image);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(size);
        }
        // If the filesystem has no user xattrs, identity rests on path, inode and device alone.
        FileIdentity.stamp(image, UUID.randomUUID().toString());
    }

    private void requireBlank(String target, String what) throws IOException {
        Optional<String> sig = SignatureProbe.probe(target);
        if (sig.isPresent()) {
            throw new ForeignDeviceException("refusing " + what + " " + target + ": it carries a " + sig.get()
                    + " signature this run did not write");
        }
    }

    private void requireSameImage() throws IOException {
        FileIdentity now = FileIdentity.of(image);
        if (!now.sameFileAs(identity)) {
            throw new ForeignDeviceException("refusing image " + image + ": it was replaced after this run created it"
                    + " (inode " + identity.inode() + " became " + now.inode() + ")");
        }
    }

    /** Every write-like step re-checks that the device is still ours (defense in depth). */
    public void requireWritable() throws IOException {
        if (ownsDevice && !AttachmentRegistry.owns(device)) {
            throw new ForeignDeviceException("refusing to write " + device + ": not attached by this run");
        }
        if (ownsDevice) {
            Optional<Losetup.Entry> st = Losetup.status(device);
            if (st.isEmpty() || !st.get().backedBy(identity)) {
                throw new ForeignDeviceException("refusing to write " + device + ": the kernel says it is "
                        + st.map(Losetup.Entry::render).orElse("not attached") + ", not backed by " + image);
            }
        }
    }

    /**
     * The object that uses this attachment (a device holding a descriptor on it); the shutdown
     * hook closes the owner, which closes its descriptor before it releases the attachment.
     */
    public void setOwner(Closeable owner) {
        this.owner = owner;
    }

    /** The owner set with {@link #setOwner}, or null. */
    Closeable owner() {
        return owner;
    }

    /** The spec this attachment was set up from. */
    public LoopSpec spec() {
        return spec;
    }

    /** The loop device ("/dev/loop3"), or null before it was attached. */
    public String device() {
        return device;
    }

    /** The image file, or null for a foreign device. */
    public Path image() {
        return image;
    }

    /** The identity of the image file, or null for a foreign device. */
    public FileIdentity identity() {
        return identity;
    }

    /** Where the filesystem is mounted, if one was created. */
    public Optional<Path> mountPoint() {
        return mounted ? Optional.of(mountPoint) : Optional.empty();
    }

    /** Whether this run attached the device (and so detaches it). */
    public boolean ownsDevice() {
        return ownsDevice;
    }

    /** The logical sector size of the device. */
    public int sectorSize() {
        return spec.sectorSize();
    }

    /** The marker file, or null for a foreign device. */
    public Path markerFile() {
        return markerFile;
    }

    /** Exactly what {@link #close()} would release, for messages. */
    public String describe() {
        return (device == null ? "(not attached)" : device) + (image == null ? "" : " <- " + image)
                + (mounted ? " mounted on " + mountPoint : "");
    }

    /** Unmounts what this run mounted, detaches what it attached, deletes what it created. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        List<IOException> errors = new ArrayList<>();
        if (mounted) {
            try {
                Mounts.unmount(device, mountPoint);
                Files.deleteIfExists(mountPoint);
                mounted = false;
            } catch (IOException e) {
                errors.add(e);
            }
        }
        boolean released = !ownsDevice || identity == null;
        if (ownsDevice && identity != null && errors.isEmpty()) {
            try {
                if (device != null) {
                    Losetup.detachVerified(device, identity);
                }
                // Covers a failure between the attach and the moment its result reached us.
                for (Losetup.Entry e : Losetup.associated(identity)) {
                    Losetup.detachVerified(e.device(), identity);
                }
                List<Losetup.Entry> still = Losetup.associated(identity);
                if (!still.isEmpty()) {
                    // The kernel defers the detach (autoclear) while someone holds the device open.
                    System.err.println("staleguard: WARNING: detach of " + still.stream().map(Losetup.Entry::device)
                            .toList() + " deferred: still held open (an unclosed descriptor or mapping?)");
                }
                released = true;
            } catch (IOException e) {
                errors.add(e);
            }
        }
        if (released) {
            try {
                if (markerFile != null) {
                    Files.deleteIfExists(markerFile);
                }
                if (ownsImage && image != null) {
                    Files.deleteIfExists(image);
                }
            } catch (IOException e) {
                errors.add(e);
            }
            closed = true;
            AttachmentRegistry.unregister(this);
            run.deleteIfEmpty();
        }
        if (!errors.isEmpty()) {
            IOException first = new IOException("cleanup of " + describe() + " incomplete: " + errors.get(0).getMessage(),
                    errors.get(0));
            errors.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }
}
