package io.staleguard.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;
import static org.apiguardian.api.API.Status.STABLE;

import io.staleguard.device.core.PiMismatch;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Injects a verifying device, or a view of one, into a field or a test/lifecycle method parameter of a
 * {@link StaleguardTest} class.
 *
 * <p>Injectable types: {@link io.staleguard.device.BlockDevice}, {@code io.staleguard.device.sim.SimulatedDevice}
 * (simulated backend only), {@link java.nio.channels.FileChannel} and
 * {@link java.nio.channels.AsynchronousFileChannel} (views of the device, closed by the extension;
 * {@link #direct()} selects direct or buffered I/O), and {@link java.nio.file.Path}: on SIMULATED a fresh directory
 * of an {@code io.staleguard.device.fs.SimulatedFileSystem} on the device, whose I/O the device judges (a
 * {@code SimulatedDevice} or {@code BlockDevice} point with the same {@link #name()} is that device); on FILE and
 * LOOP a directory on a verifying filesystem over the host's.
 *
 * <p>Lifetime: static fields live for the test class; instance fields and parameters live for one test. Two
 * injection points with the same non-empty {@link #name()} share one device; unnamed ones each get their own.
 *
 * <pre>{@code
 * @Test
 * void reusedBufferIsCaught(@Device(size = "8MiB", shortTransfers = 0) AsynchronousFileChannel ch) { ... }
 * }</pre>
 */
@API(status = STABLE, since = "0.1.0")
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Device {

    /** The backend; the configuration parameter {@code staleguard.backend} overrides it for every device. */
    Backend backend() default Backend.SIMULATED;

    /** The capacity, e.g. {@code "64MiB"}, {@code "512KiB"}, {@code "1GiB"} or a byte count; a block multiple. */
    String size() default "64MiB";

    /** The logical block size and protection interval: 512 or 4096. */
    int blockSize() default 4096;

    /** The protection-information format, by name ({@code io.staleguard.device.integrity.ProtectionFormat}). */
    String protection() default "T10_DIF_TYPE1";

    /**
     * The simulated-stack preset, e.g. {@code "MODERN"}; empty means {@code MODERN} on the simulated backend. Real
     * backends run the host kernel, so naming a preset there is a configuration error. The configuration
     * parameter {@code staleguard.kernel} overrides it for every simulated device.
     */
    String kernel() default "";

    /**
     * Runs the simulated device in DAX mode (persistent memory: no page cache, mapped access straight to the media,
     * zero pages mapped over holes, blocks allocated by writes), with the preset's DAX fault locking. A preset with
     * the unlocked DAX fault ({@code DAX_UNLOCKED_FAULT_2017}: the write(2) against read fault race Jan Kara and
     * Ross Zwisler describe on linux-mm, April 2017) implies it; {@code dax = true} with {@code MODERN} is its fixed
     * twin. Simulated backend only.
     */
    @API(status = EXPERIMENTAL, since = "0.1.0")
    boolean dax() default false;

    /**
     * Probability that a read or write transfers fewer bytes than asked, as {@code FileChannel} may. 0 disables
     * it. Negative (the default) means the backend's default: {@value #DEFAULT_SHORT_TRANSFERS} on the simulated
     * device with the {@code MODERN} preset, 0 under historical presets and on real backends (which transfer what
     * the kernel transfers).
     */
    double shortTransfers() default -1;

    /** The filesystem for a {@code Path} on {@link Backend#LOOP}; {@code NONE} there means {@code EXT4}. */
    Filesystem filesystem() default Filesystem.NONE;

    /** Injection points with the same non-empty name share one device. */
    String name() default "";

    /** For injected channels: open them with {@code ExtendedOpenOption.DIRECT} (block-aligned direct I/O). */
    boolean direct() default false;

    /**
     * Seeded storage faults of the simulated device, in the {@code io.staleguard.device.sim.FaultSpec} syntax:
     * {@code "fsync-error@1"} (the first fsync fails), {@code "lost-write=0.001, misdirect=0.0005"},
     * {@code "read-error=0.01@file:/test/seg-*.log"}, {@code "partial-write=0.01, enospc=32MiB"}; empty or
     * {@code "none"} for none. Decided from the test's seed, so the reproduce line replays them. The
     * configuration parameter {@code staleguard.faults} replaces it on every simulated device ({@code none}
     * turns faults off). Simulated backend only: FILE and LOOP run the host kernel.
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    String faults() default "";

    /**
     * What a read does when protection information does not match its data: {@code REPORT} (record the
     * violation, return the bytes) or {@code FAIL_READ} (record it and fail the read with
     * {@code IOException("Input/output error")}, as a DIX-capable host adapter does), so the test sees how the
     * program handles the error. Simulated backend only.
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    PiMismatch piMismatch() default PiMismatch.REPORT;

    /** The simulated device's default short-transfer probability. */
    double DEFAULT_SHORT_TRANSFERS = 0.01;
}
