package io.staleguard.junit.internal.fs;

import io.staleguard.device.fs.FileSystemContractTest;
import io.staleguard.device.integrity.ProtectionFormat;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the verifying host wrapper behind a FILE {@code Path}: it must behave as the host does. */
class VerifyingFileSystemContractTest extends FileSystemContractTest {

    @TempDir
    Path temp;

    private VerifyingFileSystem fs;

    @Override
    protected Path newRoot() throws IOException {
        fs = new VerifyingFileSystem(temp.toRealPath(), 4096, ProtectionFormat.T10_DIF_TYPE1, 0x5eedL, "contract");
        return fs.root();
    }

    @AfterEach
    void closeFileSystem() {
        fs.close();
    }
}
