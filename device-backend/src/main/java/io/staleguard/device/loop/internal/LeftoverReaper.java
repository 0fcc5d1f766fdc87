package io.staleguard.device.loop.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Releases loop devices that a killed JVM (kill -9, OOM killer) left attached, and only those.
 *
 * <p>A device is released only when all of these hold: its marker names an owner process that is
 * gone (pid and start time); the image next to the marker is still the very file the marker
 * records (path, inode, device, creation id); the kernel reports the loop device backed by that
 * inode; and, when the marker names a loop device, it is that one. Any mount it has must be the
 * mount point the marker records. Everything else is left alone and reported.
 */
public final class LeftoverReaper {

    private LeftoverReaper() {
    }

    /** What happened to one marker. */
    public record Outcome(Path marker, boolean released, List<String> devices, String reason) {
        /** One line for the log. */
        public String render() {
            return (released ? "released leftover " + devices + " of " : "left alone ") + marker + ": " + reason;
        }
    }

    /** Reaps every run directory under {@code workDir}; returns one outcome per marker found. */
    public static List<Outcome> reap(Path workDir) throws IOException {
        List<Outcome> outcomes = new ArrayList<>();
        if (!Files.isDirectory(workDir)) {
            return outcomes;
        }
        List<Path> markers;
        try (Stream<Path> s = Files.find(workDir, 2,
                (p, attrs) -> attrs.isRegularFile() && p.getFileName().toString().endsWith(LoopMarker.SUFFIX))) {
            markers = s.sorted().toList();
        }
        // Images claimed by a running owner are never reaped, whatever another marker says about them.
        List<FileIdentity> claimedByLiving = new ArrayList<>();
        for (Path m : markers) {
            try {
                LoopMarker marker = LoopMarker.read(m);
                if (marker.ownerAlive()) {
                    claimedByLiving.add(marker.image());
                }
            } catch (IOException e) {
                // reported below
            }
        }
        for (Path m : markers) {
            outcomes.add(reapOne(m, claimedByLiving));
        }
        return outcomes;
    }

    private static Outcome reapOne(Path markerFile, List<FileIdentity> claimedByLiving) {
        LoopMarker marker;
        try {
            marker = LoopMarker.read(markerFile);
        } catch (IOException e) {
            return new Outcome(markerFile, false, List.of(), "unreadable marker: " + e.getMessage());
        }
        if (marker.ownerAlive()) {
            return new Outcome(markerFile, false, List.of(), "owner pid " + marker.ownerPid() + " is still running");
        }
        for (FileIdentity live : claimedByLiving) {
            if (live.inode() == marker.image().inode() && live.device() == marker.image().device()) {
                return new Outcome(markerFile, false, List.of(), "image " + marker.image().path()
                        + " is claimed by a running owner's marker");
            }
        }
        Path image = marker.image().path();
        try {
            if (!Files.exists(image)) {
                return new Outcome(markerFile, false, List.of(), "image " + image
                        + " is gone, cannot verify any device against it");
            }
            FileIdentity now = FileIdentity.of(image);
            if (!now.sameFileAs(marker.image())) {
                return new Outcome(markerFile, false, List.of(), "image " + image + " is not the file the marker"
                        + " records (inode " + marker.image().inode() + "/" + marker.image().creationId() + " vs "
                        + now.inode() + "/" + now.creationId() + ")");
            }
            List<Losetup.Entry> backed = Losetup.associated(marker.image());
            List<Losetup.Entry> targets = new ArrayList<>();
            for (Losetup.Entry e : backed) {
                if (marker.loopDevice().isEmpty() || marker.loopDevice().equals(e.device())) {
                    targets.add(e);
                }
            }
            if (targets.size() != backed.size()) {
                return new Outcome(markerFile, false, backed.stream().map(Losetup.Entry::device).toList(),
                        "the kernel reports " + backed.stream().map(Losetup.Entry::render).toList()
                                + " but the marker names " + marker.loopDevice());
            }
            for (Losetup.Entry e : targets) {
                for (Mounts.Mount mount : Mounts.of(e.device())) {
                    if (marker.mountPoint().isEmpty() || !mount.mountPoint().equals(Path.of(marker.mountPoint()))) {
                        return new Outcome(markerFile, false, List.of(e.device()), e.device() + " is mounted on "
                                + mount.mountPoint() + ", which this marker did not record");
                    }
                }
            }
            List<String> released = new ArrayList<>();
            for (Losetup.Entry e : targets) {
                if (!marker.mountPoint().isEmpty()) {
                    Mounts.unmount(e.device(), Path.of(marker.mountPoint()));
                }
                if (Losetup.detachVerified(e.device(), marker.image())) {
                    released.add(e.device());
                }
            }
            if (!marker.mountPoint().isEmpty()) {
                Path mp = Path.of(marker.mountPoint());
                if (Files.isDirectory(mp) && Mounts.list().stream().noneMatch(x -> x.mountPoint().equals(mp))) {
                    Files.deleteIfExists(mp);
                }
            }
            Files.deleteIfExists(markerFile);
            if (marker.ownsImage()) {
                Files.deleteIfExists(image);
            }
            deleteIfEmpty(markerFile.getParent());
            return new Outcome(markerFile, !released.isEmpty(), released, released.isEmpty()
                    ? "owner pid " + marker.ownerPid() + " is gone and nothing was attached; removed its files"
                    : "owner pid " + marker.ownerPid() + " is gone; verified backing inode " + marker.image().inode());
        } catch (IOException e) {
            return new Outcome(markerFile, false, List.of(), "error: " + e.getMessage());
        }
    }

    private static void deleteIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // not empty: another image of that run is still there
        }
    }

    /** The outcome for markers of a given image, for tests. */
    public static Optional<Outcome> forImage(List<Outcome> outcomes, Path image) {
        return outcomes.stream().filter(o -> o.marker().getFileName().toString().startsWith(image.getFileName()
                .toString())).findFirst();
    }
}
