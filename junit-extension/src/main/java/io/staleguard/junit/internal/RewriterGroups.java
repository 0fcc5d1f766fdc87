package io.staleguard.junit.internal;

import io.staleguard.device.Seeds;
import io.staleguard.junit.Rewriters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Makes the rewriter groups of a test from its {@code @Rewriters} points, refusing the ones that cannot work. */
final class RewriterGroups {

    private RewriterGroups() {
    }

    /**
     * The group of the {@code @Rewriters} point {@code key} in {@code test}, made and validated on first use: the
     * thread count, the reserved region against the target device, and which device that is.
     */
    static RewriterGroup of(ExtensionContext context, TestRun test, Rewriters config, String key) {
        synchronized (test) {
            RewriterGroup existing = test.rewriters.get(key);
            if (existing != null) {
                return existing;
            }
            if (config.threads() < 0) {
                throw new ExtensionConfigurationException("@Rewriters(threads = " + config.threads()
                        + "): the thread count cannot be negative [" + key + "]");
            }
            ManagedDevice target = target(test, config, key);
            java.nio.file.Path files;
            try {
                files = target.hasSimulatedFileSystem() ? target.simulatedFileSystem().root() : null;
            } catch (java.io.IOException e) {
                throw new IllegalStateException("could not open the simulated filesystem of the " + target.label()
                        + " for @Rewriters [" + key + "]", e);
            }
            long capacity = target.blockDevice().capacity();
            int bs = target.blockDevice().logicalBlockSize();
            long region;
            try {
                region = config.region().isBlank() ? Math.min(1L << 20, capacity / 8) : Sizes.parse(config.region());
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException("@Rewriters(region = \"" + config.region() + "\"): "
                        + e.getMessage() + " [" + key + "]");
            }
            region = (region + bs - 1) / bs * bs;
            long needed = (long) config.threads() * bs;
            boolean reserves = config.pattern() != Rewriters.Pattern.READAHEAD_TRAILER && config.threads() > 0;
            if (reserves && (region < needed || region >= capacity)) {
                throw new ExtensionConfigurationException("@Rewriters(region = \"" + config.region() + "\") on a "
                        + capacity + "-byte device: the reserved region (" + region + " bytes) must hold one block "
                        + "per thread (" + needed + " bytes) and leave room for the test [" + key + "]");
            }
            String name = context.getRequiredTestClass().getSimpleName() + "#"
                    + context.getRequiredTestMethod().getName();
            long seed = Seeds.derive(test.testSeed, "rewriters:" + key);
            RewriterGroup g;
            if (files != null) {
                // The device's blocks belong to its filesystem: the rewriters get a file of their own instead of
                // the device's last blocks, and stress the device through the filesystem.
                ReservedFileDevice file;
                try {
                    file = ReservedFileDevice.create(files, region, target.blockDevice());
                } catch (java.io.IOException e) {
                    throw new ExtensionConfigurationException("@Rewriters on the simulated filesystem of the "
                            + target.label() + ": could not make " + ReservedFileDevice.NAME + " (" + region
                            + " bytes): " + e.getMessage() + " [" + key + "]", e);
                }
                g = new RewriterGroup(config, file, null, reserves ? 0 : region, seed, name, file,
                        StuckRewriters.of(context));
            } else {
                long reserved = reserves ? capacity - region : capacity;
                g = new RewriterGroup(config, target.blockDevice(), target.rawDevice(), reserved, seed, name, null,
                        StuckRewriters.of(context));
            }
            test.rewriters.put(key, g);
            return g;
        }
    }

    /** The named device, else the test's only block device (or the class's only one). */
    static ManagedDevice target(TestRun test, Rewriters config, String key) {
        if (!config.device().isEmpty()) {
            DeviceScope.Entry e = test.scope.find("name:" + config.device());
            if (e == null || e.device().blockDevice() == null) {
                throw new ExtensionConfigurationException("@Rewriters(device = \"" + config.device() + "\"): no "
                        + "block device of that name in this test [" + key + "]");
            }
            return e.device();
        }
        List<ManagedDevice> candidates = new ArrayList<>();
        for (ManagedDevice d : test.scope.devices()) {
            if (d.blockDevice() != null && !candidates.contains(d)) {
                candidates.add(d);
            }
        }
        if (candidates.isEmpty()) {
            for (ManagedDevice d : test.scope.parent().devices()) {
                if (d.blockDevice() != null) {
                    candidates.add(d);
                }
            }
        }
        if (candidates.size() != 1) {
            throw new ExtensionConfigurationException("@Rewriters needs to know which device to stress: this test "
                    + "has " + candidates.size() + " block devices; name one with @Device(name = ...) and "
                    + "@Rewriters(device = ...) [" + key + "]");
        }
        return candidates.get(0);
    }
}
