package io.staleguard.junit.internal.fs;

import io.staleguard.device.fs.FileSystemContractTest;
import io.staleguard.device.fs.Route;
import io.staleguard.device.fs.RoutingFileSystemProvider;
import io.staleguard.device.fs.RoutingRequired;
import io.staleguard.device.integrity.ProtectionFormat;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract on FILE through routing: the root is the host directory itself, as a default-filesystem path routed
 * to the verifying view that wraps it, so every call passes the routing provider into the verifier and from there
 * to the platform, never back into routing.
 */
@Tag(RoutingRequired.TAG)
class RoutedVerifyingFileSystemContractTest extends FileSystemContractTest {

    @TempDir
    Path temp;

    private VerifyingFileSystem fs;
    private Route route;

    @Override
    protected Path newRoot() throws IOException {
        RoutingFileSystemProvider routing = RoutingRequired.provider();
        Path host = RoutingFileSystemProvider.platformPath(temp.toRealPath());
        fs = new VerifyingFileSystem(host, 4096, ProtectionFormat.T10_DIF_TYPE1, 0x5eedL, "contract");
        route = routing.route(host, fs.root());
        return route.hostDirectory();
    }

    @AfterEach
    void closeFileSystem() {
        if (route != null) {
            route.close();
            fs.close();
        }
    }
}
