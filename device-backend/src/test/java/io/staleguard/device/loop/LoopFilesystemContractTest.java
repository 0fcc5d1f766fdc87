package io.staleguard.device.loop;

import io.staleguard.device.contract.BlockDeviceContractTest;
import io.staleguard.device.contract.ContractSpec;
import io.staleguard.device.core.VerifyingDevice;
import java.io.IOException;

/**
 * The backend contract against a LoopDevice whose image is a data file on a mounted filesystem.
 * A subclass names the filesystem and registers its {@link LoopSandbox} (a static field, so one per
 * class).
 */
abstract class LoopFilesystemContractTest extends BlockDeviceContractTest {

    /** The filesystem under the device. */
    abstract FilesystemType filesystem();

    /** The subclass's sandbox. */
    abstract LoopSandbox sandbox();

    /** The image size: the filesystem's minimum by default (sparse, so the cost is mkfs's own). */
    long imageSize() {
        return filesystem().minimumSize();
    }

    @Override
    protected VerifyingDevice create(ContractSpec spec) throws IOException {
        return LoopDevice.builder()
                .workDir(sandbox().workDir())
                .size(imageSize())
                .filesystem(filesystem())
                .capacity(spec.capacity())
                .sectorSize(spec.blockSize())
                .protection(spec.protection())
                .seed(spec.seed())
                .shortTransferProbability(spec.shortTransferProbability())
                .failFast(spec.failFast())
                .build();
    }
}
