package io.staleguard.junit.internal;

import io.staleguard.device.file.FileDevice;
import java.nio.file.Path;

/** Opens a file-backed block device (an image file in the backend's temporary directory) for FILE block views. */
final class FileDeviceOpener {

    private FileDeviceOpener() {
    }

    static BackendFactory.Opened open(DeviceSpec spec, long seed, String label, Path directory) throws Exception {
        FileDevice device = FileDevice.builder()
                .path(directory.resolve("device.img"))
                .capacity(spec.capacity())
                .blockSize(spec.blockSize())
                .protection(spec.protection())
                .seed(seed)
                .shortTransferProbability(spec.shortTransfers())
                .dmaDelay(SimulatedBackend.DMA_MIN, SimulatedBackend.DMA_MAX)
                .captureStacks(true)
                .verifyAfterWrite(true)
                .deleteOnClose(true)
                .build();
        return new BackendFactory.Opened(device, null, null);
    }
}
