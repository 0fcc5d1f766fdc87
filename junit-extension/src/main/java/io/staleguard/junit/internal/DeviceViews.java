package io.staleguard.junit.internal;

import com.sun.nio.file.ExtendedOpenOption;
import io.staleguard.device.BlockDevice;
import io.staleguard.device.channels.DeviceChannels;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;

/** JDK channel views of a block device, as injected into {@code FileChannel} and {@code AsynchronousFileChannel}. */
final class DeviceViews {

    private DeviceViews() {
    }

    static FileChannel fileChannel(BlockDevice device, boolean direct) {
        return DeviceChannels.open(device, options(direct));
    }

    static AsynchronousFileChannel asyncChannel(BlockDevice device, boolean direct) {
        return DeviceChannels.openAsynchronous(device, options(direct));
    }

    private static OpenOption[] options(boolean direct) {
        return direct
                ? new OpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT}
                : new OpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE};
    }
}
