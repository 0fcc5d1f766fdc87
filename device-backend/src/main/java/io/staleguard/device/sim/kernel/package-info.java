/**
 * The simulated Linux I/O stack: the five hazards of the kernel history, each as a bug and a fix,
 * replayable from a seed. Each hazard and preset cites its mailing-list thread by subject, author,
 * date and commits ({@link io.staleguard.device.sim.kernel.Reference}).
 *
 * <ul>
 *   <li>{@link io.staleguard.device.sim.kernel.KernelConfig} and {@link io.staleguard.device.sim.kernel.KernelPreset}:
 *       the switches and the states of the kernel the threads name.</li>
 *   <li>{@link io.staleguard.device.sim.kernel.Hazard}, {@link io.staleguard.device.sim.kernel.ScenarioRunner} and
 *       {@link io.staleguard.device.sim.kernel.ScenarioResult}: the hazard catalogue H1-H5 on the deterministic
 *       scheduler, with the interleaving and its delta-debugged minimum.</li>
 *   <li>{@link io.staleguard.device.sim.kernel.DetectionMatrix}: every hazard under every preset against the
 *       thread's prediction; {@link io.staleguard.device.sim.kernel.KernelMain} prints it and writes
 *       {@code docs/HAZARDS.md} ({@link io.staleguard.device.sim.kernel.HazardsDoc}).</li>
 *   <li>{@link io.staleguard.device.sim.kernel.KernelIoPath} and {@link io.staleguard.device.sim.kernel.KernelMapping}:
 *       the same model under real threads, in front of a {@code SimulatedDevice}.</li>
 * </ul>
 * Everything under {@code .internal} is implementation.
 *
 * <p>Experimental: every type.
 */
package io.staleguard.device.sim.kernel;
