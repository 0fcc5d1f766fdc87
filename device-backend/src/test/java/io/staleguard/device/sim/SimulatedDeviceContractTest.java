package io.staleguard.device.sim;

import io.staleguard.device.CompletionOrder;
import io.staleguard.device.contract.BlockDeviceContractTest;
import io.staleguard.device.contract.ContractSpec;
import io.staleguard.device.core.VerifyingDevice;
import java.time.Duration;

/** The backend contract, run against the simulated device (with a small DMA delay and reordering). */
class SimulatedDeviceContractTest extends BlockDeviceContractTest {

    @Override
    protected VerifyingDevice create(ContractSpec spec) {
        return SimulatedDevice.builder()
                .capacity(spec.capacity())
                .blockSize(spec.blockSize())
                .protection(spec.protection())
                .seed(spec.seed())
                .shortTransferProbability(spec.shortTransferProbability())
                .failFast(spec.failFast())
                .dmaDelay(Duration.ZERO, Duration.ofNanos(5_000))
                .completionOrder(CompletionOrder.REORDERED)
                .build();
    }
}
