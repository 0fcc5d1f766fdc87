package io.staleguard.junit.internal;

import io.staleguard.device.BlockDevice;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;

/** The types {@code @Device} can inject, and what each needs from its device. */
public final class InjectableTypes {

    /** The simulated device's class name; looked up by name so this class loads without it. */
    public static final String SIMULATED_DEVICE = "io.staleguard.device.sim.SimulatedDevice";

    private InjectableTypes() {
    }

    /** Whether {@code type} can be injected. */
    public static boolean supported(Class<?> type) {
        return type == BlockDevice.class || type == FileChannel.class || type == AsynchronousFileChannel.class
                || type == Path.class || isSimulatedDevice(type);
    }

    /** Whether {@code type} is {@link io.staleguard.junit.Crash}, injected without {@code @Device}. */
    public static boolean isCrash(Class<?> type) {
        return type == io.staleguard.junit.Crash.class;
    }

    /** Whether {@code type} is the simulated device class. */
    public static boolean isSimulatedDevice(Class<?> type) {
        return type.getName().equals(SIMULATED_DEVICE);
    }

    /** The supported types, for error messages. */
    public static List<String> names() {
        return List.of("BlockDevice", "SimulatedDevice", "FileChannel", "AsynchronousFileChannel", "Path");
    }
}
