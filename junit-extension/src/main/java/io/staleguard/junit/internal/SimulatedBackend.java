package io.staleguard.junit.internal;

import io.staleguard.device.sim.SimulatedDevice;
import java.time.Duration;

/** The SIMULATED backend: the in-memory simulated device with a kernel preset. */
final class SimulatedBackend implements BackendFactory {

    /**
     * The DMA delay window of the extension's simulated devices. Its lower bound is far above the time code needs
     * to refill a buffer, so a buffer reused before its asynchronous write was taken is caught every time; its
     * upper bound keeps synchronous I/O (which waits the delay on the calling thread) cheap.
     */
    static final Duration DMA_MIN = Duration.ofNanos(10_000);
    static final Duration DMA_MAX = Duration.ofNanos(100_000);

    @Override
    public String unavailableReason(DeviceSpec spec) {
        return null;
    }

    @Override
    public Opened open(DeviceSpec spec, long seed, String label) {
        SimulatedDevice.Builder b = SimulatedDevice.builder()
                .capacity(spec.capacity())
                .blockSize(spec.blockSize())
                .protection(spec.protection())
                .seed(seed)
                .shortTransferProbability(spec.shortTransfers())
                .dmaDelay(DMA_MIN, DMA_MAX)
                .captureStacks(true)
                .faults(spec.faults())
                .piMismatch(spec.piMismatch());
        Presets.apply(b, spec.preset(), spec.dax());
        return new Opened(b.build(), null, null);
    }
}
