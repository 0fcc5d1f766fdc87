/**
 * Implementation of the simulated kernel stack: the deterministic scheduler ({@code Sim}, {@code Op},
 * {@code World}), the model ({@code KernelStack}, {@code Page}, {@code Readahead}), one world per hazard,
 * delta debugging, the threaded page cache and DAX, and the real-threads hazard programs. Not an API:
 * may change without notice.
 */
package io.staleguard.device.sim.kernel.internal;
