package io.staleguard.junit;

import static org.apiguardian.api.API.Status.STABLE;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.ViolationLog;
import org.apiguardian.api.API;

/**
 * The handle of a test's {@link Rewriters @Rewriters}: the device they stress, the reserved region and a way to
 * run your own bodies on rewriter threads. All threads stop when the test body ends.
 */
@API(status = STABLE, since = "0.1.0")
public interface RewriterThreads {

    /** A body run on a rewriter thread until the test ends (or until it returns). */
    @FunctionalInterface
    @API(status = STABLE, since = "0.1.0")
    interface Body {
        /**
         * Runs the body.
         *
         * @param device the stressed device
         * @param worker the worker index, from 0
         * @param stop   becomes true when the test ends; loops should check it
         */
        void run(BlockDevice device, int worker, java.util.function.BooleanSupplier stop) throws Exception;
    }

    /**
     * Runs {@code body} on {@code threads} new rewriter threads, now. An exception thrown by a body fails the test
     * after the test body ends.
     */
    void run(int threads, Body body);

    /** Runs {@code body} on one new rewriter thread. */
    default void run(Body body) {
        run(1, body);
    }

    /** The device under stress. */
    BlockDevice device();

    /** The first byte of the region reserved for the rewriters; the test's own I/O should stay below it. */
    long reservedOffset();

    /** The seed of this group of rewriters (derived from the test's seed). */
    long seed();

    /** The violations the rewriters themselves found by verifying their stamps (device violations excluded). */
    ViolationLog violations();

    /** Operations completed so far by the built-in rewriters. */
    long operations();
}
