package io.staleguard.device.sim.kernel;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * Holds one DAX read fault between its block lookup ({@code ->iomap_begin}) and the install of its
 * mapping entry: the window Jan Kara described to Ross Zwisler (linux-mm, April 2017), forced instead
 * of hoped for. Under
 * {@link DaxFaultLocking#ENTRY_LOCK_ACROSS_LOOKUP} the held fault holds the entry lock, so a write's
 * invalidation of that page waits for {@link #release()}.
 * <pre>{@code
 * DaxFaultGate g = KernelIoPath.pauseDaxFault(dev, 0);
 * Thread reader = new Thread(() -> region.get(0, ByteBuffer.allocate(4096)));  // faults page 0
 * reader.start();
 * g.awaitPaused(Duration.ofSeconds(5));   // the fault saw the hole
 * // ... a write into page 0 from another thread ...
 * g.release();
 * }</pre>
 * One-shot: it holds the first read fault on its page; later faults pass. Releasing it before a
 * fault arrived disarms it. Closing the device releases it.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public interface DaxFaultGate {

    /** Device offset of the page whose fault this gate holds. */
    long pageOffset();

    /**
     * Waits until a fault is held here.
     *
     * @return the name of the faulting thread
     * @throws IllegalStateException if no fault arrived within {@code timeout} (the message names the page)
     */
    String awaitPaused(Duration timeout) throws InterruptedException;

    /** Whether a fault is (or was) held here. */
    boolean isPaused();

    /** Lets the held fault install its entry; disarms the gate if none arrived yet. Idempotent. */
    void release();
}
