package io.staleguard.device.loop;

import static org.junit.jupiter.api.Assertions.fail;

import io.staleguard.device.loop.internal.Losetup;
import io.staleguard.device.loop.internal.LoopAvailabilityProbe;
import io.staleguard.device.loop.internal.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Shared by the loop tests: prerequisites (skip outside CI, fail in CI), snapshots, temp dirs. */
public final class LoopTestSupport {

    private LoopTestSupport() {
    }

    /** Whether we run in CI, where a missing prerequisite fails instead of skipping. */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (loudly) or, in CI, fails when loop devices with {@code fs} are unavailable. */
    public static void requireLoop(FilesystemType fs) {
        Availability a = LoopAvailabilityProbe.check(fs);
        if (a.available()) {
            return;
        }
        String msg = "LOOP TESTS NOT RUN (" + fs + "): " + a.reason();
        System.err.println("*** " + msg + " ***");
        if (inCi()) {
            fail(msg + " (CI=true: prerequisites must be present)");
        }
        Assumptions.abort(msg);
    }

    /** A fresh, unique work directory for one test class run. */
    public static Path newWorkDir(String name) throws IOException {
        return Files.createTempDirectory("staleguard-loop-" + name + "-");
    }

    /** Deletes a work directory tree (images are sparse; never follows into mounts: none are left). */
    public static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        for (Mounts.Mount m : Mounts.list()) {
            if (m.mountPoint().startsWith(dir)) {
                throw new IOException("still mounted inside " + dir + ": " + m + " (a cleanup bug)");
            }
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The loop devices backed by anything under {@code dir}. */
    public static List<Losetup.Entry> attachedUnder(Path dir) throws IOException {
        String prefix = dir.toAbsolutePath().normalize() + "/";
        return Losetup.list().stream().filter(e -> e.backingFile().startsWith(prefix)).toList();
    }

    /**
     * Emergency cleanup after a failed assertion: unmounts and detaches whatever is still backed
     * by a file under this test's own unique directory (so by construction created by this test).
     */
    public static void forceReleaseUnder(Path dir) throws IOException {
        for (Mounts.Mount m : mountedUnder(dir)) {
            System.err.println("test cleanup: unmounting leaked " + m);
            io.staleguard.device.loop.internal.HostCommand.run("umount", "--lazy", m.mountPoint().toString());
        }
        for (Losetup.Entry e : attachedUnder(dir)) {
            System.err.println("test cleanup: detaching leaked " + e.render());
            io.staleguard.device.loop.internal.HostCommand.run("losetup", "--detach", e.device());
        }
    }

    /** The mounts under {@code dir}. */
    public static List<Mounts.Mount> mountedUnder(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        return Mounts.list().stream().filter(m -> m.mountPoint().startsWith(abs)).toList();
    }
}
