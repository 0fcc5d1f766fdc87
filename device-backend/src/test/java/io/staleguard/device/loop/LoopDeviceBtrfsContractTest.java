package io.staleguard.device.loop;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The backend contract on a LoopDevice with btrfs mounted on it (the device is a data file on that filesystem). */
class LoopDeviceBtrfsContractTest extends LoopFilesystemContractTest {

    @RegisterExtension
    static final LoopSandbox SANDBOX = LoopSandbox.perClass(FilesystemType.BTRFS, "contract-btrfs");

    @Override
    FilesystemType filesystem() {
        return FilesystemType.BTRFS;
    }

    @Override
    LoopSandbox sandbox() {
        return SANDBOX;
    }
}
