package io.staleguard.device.loop;

import io.staleguard.device.contract.BlockDeviceContractTest;
import io.staleguard.device.contract.ContractSpec;
import io.staleguard.device.internal.VerifyingBlockDevice;
import java.io.IOException;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backend contract against a LoopDevice with xfs mounted on it (the device is a data file on that
 * filesystem): the smallest filesystem mkfs.xfs accepts, made per test (sparse, so the cost is mkfs's own).
 */
class LoopDeviceXfsContractTest extends BlockDeviceContractTest {

    @RegisterExtension
    static final LoopSandbox SANDBOX = LoopSandbox.perClass(Filesystem.XFS, "contract-xfs");

    @Override
    protected VerifyingBlockDevice create(ContractSpec spec) throws IOException {
        return LoopDevice.builder()
                .workDir(SANDBOX.workDir())
                .size(Filesystem.XFS.minimumSize())
                .filesystem(Filesystem.XFS)
                .capacity(spec.capacity())
                .sectorSize(spec.blockSize())
                .protection(spec.protection())
                .seed(spec.seed())
                .shortTransferProbability(spec.shortTransferProbability())
                .failFast(spec.failFast())
                .build();
    }
}
