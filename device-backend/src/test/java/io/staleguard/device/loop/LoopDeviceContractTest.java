package io.staleguard.device.loop;

import io.staleguard.device.contract.BlockDeviceContractTest;
import io.staleguard.device.contract.ContractSpec;
import io.staleguard.device.core.VerifyingDevice;
import java.io.IOException;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backend contract, run against a raw loop device (O_DIRECT and buffered paths of
 * /dev/loopN). Skipped with the reason printed when loop devices are unavailable outside CI.
 */
class LoopDeviceContractTest extends BlockDeviceContractTest {

    @RegisterExtension
    static final LoopSandbox SANDBOX = LoopSandbox.perClass(FilesystemType.NONE, "contract");

    @Override
    protected VerifyingDevice create(ContractSpec spec) throws IOException {
        return LoopDevice.builder()
                .workDir(SANDBOX.workDir())
                .size(spec.capacity())
                .sectorSize(spec.blockSize())
                .directIo(true)
                .protection(spec.protection())
                .seed(spec.seed())
                .shortTransferProbability(spec.shortTransferProbability())
                .failFast(spec.failFast())
                .verifyAfterWrite(true)
                .build();
    }
}
