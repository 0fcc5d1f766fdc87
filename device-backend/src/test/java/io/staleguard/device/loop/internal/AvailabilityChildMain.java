package io.staleguard.device.loop.internal;

import io.staleguard.device.loop.FilesystemType;

/** Prints the loop availability as seen by this JVM (started as another user by a test). */
public final class AvailabilityChildMain {

    private AvailabilityChildMain() {
    }

    public static void main(String[] args) {
        System.out.println(LoopAvailabilityProbe.check(FilesystemType.NONE));
    }
}
