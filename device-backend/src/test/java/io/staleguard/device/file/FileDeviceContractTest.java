package io.staleguard.device.file;

import io.staleguard.device.contract.BlockDeviceContractTest;
import io.staleguard.device.contract.ContractSpec;
import io.staleguard.device.core.VerifyingDevice;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The backend contract, run against a regular file on the host filesystem (real page cache, real O_DIRECT). */
class FileDeviceContractTest extends BlockDeviceContractTest {

    @TempDir
    Path dir;
    private int n;

    @Override
    protected VerifyingDevice create(ContractSpec spec) throws IOException {
        return FileDevice.builder()
                .path(dir.resolve("contract-" + (++n) + ".img"))
                .capacity(spec.capacity())
                .blockSize(spec.blockSize())
                .protection(spec.protection())
                .seed(spec.seed())
                .shortTransferProbability(spec.shortTransferProbability())
                .failFast(spec.failFast())
                .verifyAfterWrite(true)
                .build();
    }
}
