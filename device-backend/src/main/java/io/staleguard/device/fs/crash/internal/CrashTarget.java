package io.staleguard.device.fs.crash.internal;

import java.io.IOException;

/**
 * The filesystem side of one exploration: it records the workload into a {@link CrashLog} and puts the filesystem
 * into a crash state and back. The simulated filesystem's target power-cycles the device and restores the volume;
 * tests use a target over hand-made logs.
 */
public interface CrashTarget {

    /** What recording a workload left: the log, and the image the filesystem had when recording began. */
    record Recorded(CrashLog log, TreeImage base) {
    }

    /** Takes the base (the state at arm time counts as durable) and starts recording. */
    void arm() throws IOException;

    /** Appends an acknowledgement of {@code key} by {@code thread}; returns its time. */
    long acknowledge(String key, String thread);

    /**
     * Appends a claim that {@code path} (whole file, or {@code [offset, offset + length)}) is durable now.
     *
     * @throws java.nio.file.NoSuchFileException naming the path and the time when it does not exist
     */
    void claim(String path, long offset, long length, boolean wholeFile, String thread) throws IOException;

    /** Stops recording (in-flight I/O finished) and freezes the workload's end state. */
    Recorded finish() throws IOException;

    /** Stops recording without exploring (the workload threw); the filesystem stays as the workload left it. */
    void abandon();

    /** Makes the filesystem hold {@code image}, the crash state numbered {@code state}, with empty caches. */
    void enter(int state, TreeImage image) throws IOException;

    /** Makes the filesystem hold the workload's end state again, as after a clean shutdown. */
    void leave() throws IOException;

    /** Whether {@code path} names a path of this target's filesystem (claims of other paths are refused). */
    default boolean owns(Object path) {
        return true;
    }
}
