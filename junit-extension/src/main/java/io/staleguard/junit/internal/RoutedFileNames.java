package io.staleguard.junit.internal;

import io.staleguard.device.FileLocation;
import io.staleguard.device.FileLocator;

/**
 * Names the files of a routed simulated directory as the test names them. With routing installed, the test's
 * {@code Path} is a host path (say {@code /tmp/staleguard-routed-3/log/seg-1}) that the routing provider sends to
 * {@code /test/seg-1} on the device's simulated filesystem. The filesystem's own locator says
 * {@code /test/seg-1}; this one says the host path, so that a violation's {@code location()}, its detail, the
 * reports and {@code OpMatcher.onFile(path)} all use the name the code under test used. Files outside the
 * routed directory (the rewriters' reserved file) keep their simulated name.
 */
final class RoutedFileNames implements FileLocator {

    private final FileLocator filesystem;
    private final String simulatedRoot;
    private final String hostRoot;

    RoutedFileNames(FileLocator filesystem, String simulatedRoot, String hostRoot) {
        this.filesystem = filesystem;
        this.simulatedRoot = simulatedRoot;
        this.hostRoot = hostRoot;
    }

    /** The filesystem's own locator, under any naming installed over it. */
    static FileLocator unwrap(FileLocator locator) {
        return locator instanceof RoutedFileNames r ? r.filesystem : locator;
    }

    @Override
    public FileLocation locate(long deviceOffset) {
        FileLocation at = filesystem.locate(deviceOffset);
        if (at == null) {
            return null;
        }
        String path = at.path();
        if (!path.startsWith(simulatedRoot)
                || path.length() > simulatedRoot.length() && path.charAt(simulatedRoot.length()) != '/') {
            return at;
        }
        return new FileLocation(hostRoot + path.substring(simulatedRoot.length()), at.offset());
    }
}
