package io.staleguard.device.loop.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This JVM's own directory under a work directory: every image, marker and mount point of this
 * run lives there, so no two runs (or developers) ever share a file name.
 *
 * <p>The first time a work directory is used in a JVM, leftovers of dead runs in it are reaped.
 */
public final class RunDirectory {

    private static final Map<Path, RunDirectory> BY_WORK_DIR = new ConcurrentHashMap<>();

    private final Path dir;
    private final AtomicInteger sequence = new AtomicInteger();

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /** This JVM's run directory under {@code workDir}, created (and the work dir reaped) on first use. */
    public static synchronized RunDirectory of(Path workDir) throws IOException {
        Path base = workDir.toAbsolutePath().normalize();
        RunDirectory existing = BY_WORK_DIR.get(base);
        if (existing != null && Files.isDirectory(existing.dir)) {
            return existing;
        }
        Files.createDirectories(base);
        if (existing == null) {
            for (LeftoverReaper.Outcome o : LeftoverReaper.reap(base)) {
                System.err.println("staleguard: " + o.render());
            }
        }
        ProcessHandle self = ProcessHandle.current();
        String name = "run-" + self.pid() + "-" + LoopMarker.startMillis(self) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        RunDirectory rd = new RunDirectory(Files.createDirectories(base.resolve(name)));
        BY_WORK_DIR.put(base, rd);
        return rd;
    }

    /** The directory. */
    public Path path() {
        return dir;
    }

    /** A fresh name for the next image of this run ("loop-3"). */
    public String nextName() {
        return "loop-" + sequence.incrementAndGet();
    }

    /** Deletes the directory if nothing is left in it. */
    public void deleteIfEmpty() {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // Not empty, or already gone: either way nothing of ours is lost.
        }
    }
}
