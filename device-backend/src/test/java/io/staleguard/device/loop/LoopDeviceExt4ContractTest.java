package io.staleguard.device.loop;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The backend contract on a LoopDevice with ext4 mounted on it (the device is a data file on that filesystem). */
class LoopDeviceExt4ContractTest extends LoopFilesystemContractTest {

    @RegisterExtension
    static final LoopSandbox SANDBOX = LoopSandbox.perClass(FilesystemType.EXT4, "contract-ext4");

    @Override
    FilesystemType filesystem() {
        return FilesystemType.EXT4;
    }

    @Override
    LoopSandbox sandbox() {
        return SANDBOX;
    }

    @Override
    long imageSize() {
        return 16L << 20;
    }
}
