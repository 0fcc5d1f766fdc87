package io.staleguard.device.file.internal;

import java.io.IOException;

/** A step of a real backend's life that may fail with an {@link IOException}: a release, a save. */
@FunctionalInterface
public interface IoAction {

    /** Does nothing. */
    IoAction NONE = () -> { };

    /** Runs the step. */
    void run() throws IOException;
}
