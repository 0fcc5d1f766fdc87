package io.staleguard.device.loop;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The backend contract on a LoopDevice with xfs mounted on it (the device is a data file on that filesystem). */
class LoopDeviceXfsContractTest extends LoopFilesystemContractTest {

    @RegisterExtension
    static final LoopSandbox SANDBOX = LoopSandbox.perClass(FilesystemType.XFS, "contract-xfs");

    @Override
    FilesystemType filesystem() {
        return FilesystemType.XFS;
    }

    @Override
    LoopSandbox sandbox() {
        return SANDBOX;
    }
}
