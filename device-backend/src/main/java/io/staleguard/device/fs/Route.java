package io.staleguard.device.fs;

import io.staleguard.device.fs.internal.RouteTable;
import java.nio.file.Path;

/**
 * One route of the {@link RoutingFileSystemProvider}: a host directory whose paths, however they are built, go
 * to a directory of another filesystem until the route is closed. Closing is idempotent; after it the host
 * directory's paths go to the platform again.
 */
@org.apiguardian.api.API(status = org.apiguardian.api.API.Status.EXPERIMENTAL, since = "0.1")
public final class Route implements AutoCloseable {

    private final RoutingFileSystemProvider provider;
    private final RouteTable.Entry entry;
    private final Path hostDirectory;
    private volatile boolean open = true;

    Route(RoutingFileSystemProvider provider, RouteTable.Entry entry, Path hostDirectory) {
        this.provider = provider;
        this.entry = entry;
        this.hostDirectory = hostDirectory;
    }

    /** The routed host directory, absolute and normalized, as a path of the routing filesystem. */
    public Path hostDirectory() {
        return hostDirectory;
    }

    /** The directory on the other filesystem that the host directory leads to. */
    public Path target() {
        return entry.target();
    }

    /** Whether the route is still installed. */
    public boolean isOpen() {
        return open;
    }

    /** Removes the route. */
    @Override
    public void close() {
        if (open) {
            open = false;
            provider.close(entry);
        }
    }

    @Override
    public String toString() {
        return "route " + hostDirectory + " -> " + entry.target() + " on " + entry.target().getFileSystem()
                + (open ? "" : " (closed)");
    }
}
