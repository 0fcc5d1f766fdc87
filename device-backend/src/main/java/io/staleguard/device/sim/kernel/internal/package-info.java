/**
 * Implementation of the simulated kernel stack. Not an API: may change without notice.
 * <ul>
 *   <li>The model, the one place where kernel state lives: {@code PageCache} over an
 *       {@code AddressSpace} (its {@code Page}s in a {@code PageIndex}, {@code Writeback}s with their
 *       protection information), {@code DaxEntries}, {@code Readahead} and {@code InvalidationPolicy}.
 *       Its steps never wait; whoever schedules them decides when they may run.</li>
 *   <li>The deterministic scheduler ({@code Sim}, {@code Op}, {@code World}): one world per hazard whose
 *       ops call the model's steps, with {@code KernelStack} as the scenario's media and detectors;
 *       {@code ScenarioEngine} and delta debugging.</li>
 *   <li>The real-threads scheduler: {@code ThreadedSpace} runs the steps of one page cache under monitors,
 *       {@code ThreadedPageCache} routes each operation to the cache that serves it (the device's, over
 *       {@code DeviceAddressSpace}, or a file's, {@code FileCache} over {@code FileAddressSpace}, found through
 *       {@code FileCaches} and {@code BlockRuns}; their memory shared in a {@code PagePool}) and runs the
 *       flusher and the kworker; {@code ThreadedDax} (with {@code ThreadedDaxEntries}) runs the DAX steps;
 *       {@code PartialDirectReads} and {@code ExtentMap} for H5; the real-threads hazard programs
 *       ({@code ThreadedPrograms}, {@code ProgramRun}).</li>
 * </ul>
 */
@API(status = INTERNAL, since = "0.1")
package io.staleguard.device.sim.kernel.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
