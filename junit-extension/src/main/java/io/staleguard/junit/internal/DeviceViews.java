package io.staleguard.junit.internal;

import io.staleguard.device.BlockDevice;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;

/** JDK channel views of a block device, as injected into {@code FileChannel} and {@code AsynchronousFileChannel}. */
final class DeviceViews {

    private DeviceViews() {
    }

    static FileChannel fileChannel(BlockDevice device, boolean direct, String label) {
        throw new UnsupportedOperationException("device channel views are not in this build yet");
    }

    static AsynchronousFileChannel asyncChannel(BlockDevice device, boolean direct, String label) {
        throw new UnsupportedOperationException("device channel views are not in this build yet");
    }
}
