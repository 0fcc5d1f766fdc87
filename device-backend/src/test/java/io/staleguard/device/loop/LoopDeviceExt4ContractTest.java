package io.staleguard.device.loop;

import io.staleguard.device.contract.BlockDeviceContractTest;
import io.staleguard.device.contract.ContractSpec;
import io.staleguard.device.internal.VerifyingBlockDevice;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The backend contract, run against a LoopDevice with ext4 mounted on it (the device is a data
 * file on that filesystem). xfs and btrfs are covered by LoopDeviceTest and the kernel checks;
 * running the whole contract on them would cost a 300 MiB mkfs per test.
 */
class LoopDeviceExt4ContractTest extends BlockDeviceContractTest {

    private static Path workDir;
    private static LosetupSnapshot snapshot;

    @BeforeAll
    static void prerequisites() throws IOException {
        LoopTestSupport.requireLoop(Filesystem.EXT4);
        workDir = LoopTestSupport.newWorkDir("contract-ext4");
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
