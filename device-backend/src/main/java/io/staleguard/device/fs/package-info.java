/**
 * The simulated filesystem: {@link io.staleguard.device.fs.SimulatedFileSystem}, a {@code java.nio.file.FileSystem}
 * over the blocks of a {@code SimulatedDevice}. Everything under {@code .internal} is implementation.
 */
package io.staleguard.device.fs;
