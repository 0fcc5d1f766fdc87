package io.staleguard.device.loop.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Mount and unmount of the filesystems this backend created, and what the kernel has mounted. */
public final class Mounts {

    private Mounts() {
    }

    /** One line of /proc/self/mountinfo: where a source is mounted, with which type. */
    public record Mount(Path mountPoint, String source, String type) {
    }

    /** Everything mounted in this mount namespace. */
    public static List<Mount> list() throws IOException {
        List<Mount> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            // id parent maj:min root mountpoint options [optional...] - type source superoptions
            String[] f = line.split(" ");
            int dash = -1;
            for (int i = 6; i < f.length; i++) {
                if (f[i].equals("-")) {
                    dash = i;
                    break;
                }
            }
            if (dash < 0 || dash + 2 >= f.length) {
                continue;
            }
            mounts.add(new Mount(Path.of(unoctal(f[4])), unoctal(f[dash + 2]), f[dash + 1]));
        }
        return mounts;
    }

    /** The mounts whose source is {@code device}. */
    public static List<Mount> of(String device) throws IOException {
        return list().stream().filter(m -> m.source().equals(device)).toList();
    }

    /** Mounts {@code device} (a loop device this backend formatted) on {@code mountPoint}. */
    public static void mount(String device, Path mountPoint, String type) throws IOException {
        Files.createDirectories(mountPoint);
        HostCommand.check("mount", "-t", type, device, mountPoint.toString());
    }

    /**
     * Unmounts {@code mountPoint} if {@code device} is mounted there, retrying while busy and
     * falling back to a lazy unmount so the device can still be detached (the kernel then frees
     * it when the last user lets go).
     */
    public static void unmount(String device, Path mountPoint) throws IOException {
        for (int attempt = 1; attempt <= 10; attempt++) {
            if (!mountedAt(device, mountPoint)) {
                return;
            }
            HostCommand.Result r = HostCommand.run("umount", mountPoint.toString());
            if (r.ok()) {
                continue;
            }
            if (attempt == 10) {
                System.err.println("staleguard: " + mountPoint + " stays busy (" + r.describe()
                        + "); unmounting lazily");
                HostCommand.check("umount", "--lazy", mountPoint.toString());
                return;
            }
            try {
                Thread.sleep(50L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while unmounting " + mountPoint, e);
            }
        }
    }

    /** Whether {@code device} is mounted at {@code mountPoint}. */
    public static boolean mountedAt(String device, Path mountPoint) throws IOException {
        Path mp = mountPoint.toAbsolutePath().normalize();
        return of(device).stream().anyMatch(m -> m.mountPoint().equals(mp));
    }

    private static String unoctal(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
