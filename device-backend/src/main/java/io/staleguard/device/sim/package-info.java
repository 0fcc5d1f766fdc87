/**
 * The simulated device: {@link io.staleguard.device.sim.SimulatedDevice} (in memory, with protection
 * information, seeded short transfers and a DMA model), {@link io.staleguard.device.sim.MediaTamper} to
 * corrupt its media on purpose, and the SPI through which an I/O path such as the simulated kernel stands in
 * front of it ({@link io.staleguard.device.sim.IoPath}, {@link io.staleguard.device.sim.PathOperation},
 * {@link io.staleguard.device.sim.MediaPort}).
 *
 * <p>Stable: {@code SimulatedDevice} and {@code MediaTamper}; experimental: the I/O-path SPI and
 * {@code SoakWorkload}.
 */
package io.staleguard.device.sim;
