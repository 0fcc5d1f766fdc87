package io.staleguard.device.loop.internal;

import io.staleguard.device.loop.Availability;
import io.staleguard.device.loop.FilesystemType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Finds out whether loop devices (and a given filesystem on them) can be used here, and if not, why. */
public final class LoopAvailabilityProbe {

    private LoopAvailabilityProbe() {
    }

    /** Checks, in order: Linux, root, /dev/loop-control, tools, the filesystem, a free loop device. */
    public static Availability check(FilesystemType fs) {
        return check(fs, true);
    }

    /** As {@link #check(FilesystemType)}; without {@code needFreeDevice} (an existing device is used) the last check is skipped. */
    public static Availability check(FilesystemType fs, boolean needFreeDevice) {
        return check(fs, needFreeDevice, HostCommand::find);
    }

    /** As {@link #check(FilesystemType, boolean)}, resolving host tools with {@code tools} (tests hide tools). */
    static Availability check(FilesystemType fs, boolean needFreeDevice,
                              java.util.function.Function<String, java.util.Optional<Path>> tools) {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
            return Availability.unavailable("not Linux (os.name=" + os + "): loop devices are a Linux feature");
        }
        long euid = effectiveUid();
        if (euid != 0) {
            return Availability.unavailable("not root (effective uid " + euid + "): attaching loop devices needs root");
        }
        if (!Files.exists(Path.of("/dev/loop-control"))) {
            return Availability.unavailable("no /dev/loop-control: the loop driver is not loaded");
        }
        for (String tool : List.of("losetup", "blkid")) {
            if (tools.apply(tool).isEmpty()) {
                return Availability.unavailable(tool + " is missing (install " + (tool.equals("losetup") ? "mount"
                        : "util-linux") + ")");
            }
        }
        if (fs != FilesystemType.NONE) {
            String mkfs = "mkfs." + fs.type();
            if (tools.apply(mkfs).isEmpty()) {
                String pkg = switch (fs) {
                    case EXT4 -> "e2fsprogs";
                    case XFS -> "xfsprogs";
                    case BTRFS -> "btrfs-progs";
                    default -> "?";
                };
                return Availability.unavailable(mkfs + " is missing (install " + pkg + ")");
            }
            for (String tool : List.of("mount", "umount")) {
                if (tools.apply(tool).isEmpty()) {
                    return Availability.unavailable(tool + " is missing (install mount)");
                }
            }
            if (!kernelSupports(fs.type())) {
                return Availability.unavailable("the kernel does not support " + fs.type()
                        + " (not in /proc/filesystems and no module found)");
            }
        }
        if (!needFreeDevice) {
            return Availability.ok();
        }
        try {
            HostCommand.Result r = HostCommand.run("losetup", "--find");
            String dev = r.stdout().strip();
            if (!r.ok() || dev.isEmpty()) {
                return Availability.unavailable("no free loop device (" + r.describe() + "; in use: "
                        + Losetup.list().size() + ")");
            }
            if (!Files.exists(Path.of(dev))) {
                return Availability.unavailable("no free loop device: every existing /dev/loop* node is in use ("
                        + Losetup.list().size() + " attached) and " + dev + " has no device node");
            }
        } catch (IOException e) {
            return Availability.unavailable("cannot query loop devices: " + e.getMessage());
        }
        return Availability.ok();
    }

    static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    return Long.parseLong(f[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    private static boolean kernelSupports(String type) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/filesystems"))) {
                if (line.trim().equals(type) || line.endsWith("\t" + type)) {
                    return true;
                }
            }
            String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
            Path mods = Path.of("/lib/modules", release, "kernel", "fs", type);
            return Files.isDirectory(mods);
        } catch (IOException e) {
            return false;
        }
    }
}
