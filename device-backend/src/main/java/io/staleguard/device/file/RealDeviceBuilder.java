package io.staleguard.device.file;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.core.DeviceOptions;
import org.apiguardian.api.API;

/**
 * The options the real backends ({@link FileDevice}, {@code LoopDevice}) share: every option of
 * {@link DeviceOptions} plus read-back after each write. Real devices take no artificial DMA delay
 * by default: the kernel supplies the timing.
 *
 * @param <B> the concrete builder
 */
@API(status = EXPERIMENTAL, since = "0.1")
public abstract class RealDeviceBuilder<B extends RealDeviceBuilder<B>> extends DeviceOptions<B> {

    private boolean verifyAfterWrite = true;

    /** Subclasses only. */
    protected RealDeviceBuilder() {
        super(0);
    }

    /**
     * Whether every write is read back once the system call returned and verified against the
     * protection information computed at submission (default true). Off, verification of what
     * landed happens in {@code scrub()} passes only.
     */
    @SuppressWarnings("unchecked")
    public B verifyAfterWrite(boolean on) {
        this.verifyAfterWrite = on;
        return (B) this;
    }

    /** Whether read-back after each write is on. */
    protected final boolean verifyAfterWriteOption() {
        return verifyAfterWrite;
    }
}
