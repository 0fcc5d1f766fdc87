package io.staleguard.device.loop.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The marker file written next to each image: enough to let a later run decide, without guessing,
 * whether a loop device left attached belongs to a JVM that died (kill -9) and may be detached.
 *
 * <p>It is written before the image is attached (so a death between attach and the next update
 * is still covered: the kernel reports the backing inode of every loop device) and rewritten at
 * every step. It is deleted only once the device is detached.
 *
 * @param image       identity of the image file this run created
 * @param ownerPid    process id of the owning JVM
 * @param ownerStart  start instant of the owning JVM, as {@link ProcessHandle.Info#startInstant()}
 *                    reports it (epoch millis, 0 if unknown); guards against pid reuse
 * @param loopDevice  the attached loop device ("/dev/loop3"), empty before the attach returned
 * @param mountPoint  where this run mounted the device, empty if not mounted
 * @param filesystem  the filesystem this run wrote onto the device ("NONE", "EXT4", ...)
 * @param ownsImage   whether the image was created by the owning run (only then may it be deleted)
 */
public record LoopMarker(FileIdentity image, long ownerPid, long ownerStart, String loopDevice, String mountPoint,
                         String filesystem, boolean ownsImage) {

    /** Suffix appended to the image file name. */
    public static final String SUFFIX = ".staleguard-loop";
    private static final String FORMAT = "1";

    /** The marker path for an image. */
    public static Path markerFor(Path image) {
        return image.resolveSibling(image.getFileName() + SUFFIX);
    }

    /** A marker owned by the current JVM. */
    public static LoopMarker ownedByThisJvm(FileIdentity image, String filesystem, boolean ownsImage) {
        ProcessHandle self = ProcessHandle.current();
        return new LoopMarker(image, self.pid(), startMillis(self), "", "", filesystem, ownsImage);
    }

    static long startMillis(ProcessHandle handle) {
        return handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /** A copy recording the loop device. */
    public LoopMarker withLoopDevice(String device) {
        return new LoopMarker(image, ownerPid, ownerStart, device, mountPoint, filesystem, ownsImage);
    }

    /** A copy recording the mount point. */
    public LoopMarker withMountPoint(String mount) {
        return new LoopMarker(image, ownerPid, ownerStart, loopDevice, mount, filesystem, ownsImage);
    }

    /** Whether the owning JVM still runs (same pid and same start time). */
    public boolean ownerAlive() {
        Optional<ProcessHandle> h = ProcessHandle.of(ownerPid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        long start = startMillis(h.get());
        // Unknown start times are treated as alive: when in doubt, touch nothing.
        return start == 0 || ownerStart == 0 || Math.abs(start - ownerStart) < 2_000;
    }

    /** Writes the marker atomically to {@code target} (next to the image, in the run directory). */
    public void write(Path target) throws IOException {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("image", image.path().toString());
        p.setProperty("imageInode", Long.toString(image.inode()));
        p.setProperty("imageDevice", Long.toString(image.device()));
        p.setProperty("imageMajorMinor", image.majorMinor());
        p.setProperty("creationId", image.creationId());
        p.setProperty("ownerPid", Long.toString(ownerPid));
        p.setProperty("ownerStart", Long.toString(ownerStart));
        p.setProperty("loopDevice", loopDevice);
        p.setProperty("mountPoint", mountPoint);
        p.setProperty("filesystem", filesystem);
        p.setProperty("ownsImage", Boolean.toString(ownsImage));
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "Staleguard loop device marker: lets a later run detach what a killed JVM left attached");
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a marker file; a malformed one is an {@link IOException} naming the file. */
    public static LoopMarker read(Path markerFile) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(markerFile, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        try {
            if (!FORMAT.equals(p.getProperty("format"))) {
                throw new IOException("marker " + markerFile + " has unknown format '" + p.getProperty("format") + "'");
            }
            FileIdentity image = new FileIdentity(Path.of(req(p, "image")), Long.parseLong(req(p, "imageInode")),
                    Long.parseLong(req(p, "imageDevice")), p.getProperty("creationId", ""));
            return new LoopMarker(image, Long.parseLong(req(p, "ownerPid")), Long.parseLong(req(p, "ownerStart")),
                    p.getProperty("loopDevice", ""), p.getProperty("mountPoint", ""), p.getProperty("filesystem", ""),
                    Boolean.parseBoolean(p.getProperty("ownsImage", "false")));
        } catch (NumberFormatException e) {
            throw new IOException("marker " + markerFile + " is malformed: " + e.getMessage(), e);
        }
    }

    private static String req(Properties p, String key) throws IOException {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IOException("marker is missing '" + key + "'");
        }
        return v;
    }
}
