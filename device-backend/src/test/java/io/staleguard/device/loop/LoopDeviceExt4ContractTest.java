package io.staleguard.device.loop;

import io.staleguard.device.contract.BlockDeviceContractTest;
import io.staleguard.device.contract.ContractSpec;
import io.staleguard.device.internal.VerifyingBlockDevice;
import java.io.IOException;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backend contract, run against a LoopDevice with ext4 mounted on it (the device is a data
 * file on that filesystem). LoopDeviceXfsContractTest and LoopDeviceBtrfsContractTest run it on the
 * other two.
 */
class LoopDeviceExt4ContractTest extends BlockDeviceContractTest {

    @RegisterExtension
    static final LoopSandbox SANDBOX = LoopSandbox.perClass(Filesystem.EXT4, "contract-ext4");

    @Override
    protected VerifyingBlockDevice create(ContractSpec spec) throws IOException {
        return LoopDevice.builder()
                .workDir(SANDBOX.workDir())
                .size(16L << 20)
                .filesystem(Filesystem.EXT4)
                .capacity(spec.capacity())
                .sectorSize(spec.blockSize())
                .protection(spec.protection())
                .seed(spec.seed())
                .shortTransferProbability(spec.shortTransferProbability())
                .failFast(spec.failFast())
                .build();
    }
}
