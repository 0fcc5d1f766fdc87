package io.staleguard.junit.internal;

import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.fs.crash.CrashSettings;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The {@link CrashEngine} over device-backend's {@code io.staleguard.device.fs.crash.CrashExplorer}. Until that
 * engine is part of the build, arming refuses with a message saying so, rather than passing a test that
 * explored nothing.
 */
final class CrashExplorerEngine implements CrashEngine {

    /** The one instance. */
    static final CrashExplorerEngine INSTANCE = new CrashExplorerEngine();

    private CrashExplorerEngine() {
    }

    @Override
    public Session start(SimulatedFileSystem fs, CrashSettings settings) {
        throw new ExtensionConfigurationException("Crash.explore needs the crash-exploration engine "
                + "(io.staleguard.device.fs.crash.CrashExplorer), which this build of Staleguard does not contain "
                + "yet; nothing was explored on " + fs);
    }
}
