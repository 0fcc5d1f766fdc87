package io.staleguard.device.fs;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The reference: the contract on the JDK's default filesystem, in a temporary directory of the host. */
class HostFileSystemContractTest extends FileSystemContractTest {

    @TempDir
    Path temp;

    @Override
    protected Path newRoot() throws IOException {
        return temp.toRealPath();
    }
}
