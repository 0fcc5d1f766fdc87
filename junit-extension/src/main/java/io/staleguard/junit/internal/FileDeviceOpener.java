package io.staleguard.junit.internal;

import java.nio.file.Path;

/** Opens a file-backed block device for FILE-backend block views. */
final class FileDeviceOpener {

    private FileDeviceOpener() {
    }

    static BackendFactory.Opened open(DeviceSpec spec, long seed, String label, Path directory) throws Exception {
        throw new UnsupportedOperationException("the FILE block device is not in this build yet");
    }
}
