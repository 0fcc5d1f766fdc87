package io.staleguard.device.loop;

import io.staleguard.device.contract.BlockDeviceContractTest;
import io.staleguard.device.contract.ContractSpec;
import io.staleguard.device.internal.VerifyingBlockDevice;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The backend contract, run against a raw loop device (O_DIRECT and buffered paths of
 * /dev/loopN). Skipped with the reason printed when loop devices are unavailable outside CI.
 */
class LoopDeviceContractTest extends BlockDeviceContractTest {

    private static Path workDir;
    private static LosetupSnapshot snapshot;

    @BeforeAll
    static void prerequisites() throws IOException {
        LoopTestSupport.requireLoop(Filesystem.NONE);
        workDir = LoopTestSupport.newWorkDir("contract");
        snapshot = LosetupSnapshot.take();
    }

    @AfterAll
    static void nothingLeft() throws IOException {
        if (snapshot != null) {
            try {
                snapshot.assertUnchanged(workDir);
            } finally {
                LoopTestSupport.forceReleaseUnder(workDir);
                LoopTestSupport.deleteTree(workDir);
            }
        }
    }

    @Override
    protected VerifyingBlockDevice create(ContractSpec spec) throws IOException {
        return LoopDevice.builder()
                .workDir(workDir)
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
