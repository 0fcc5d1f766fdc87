/**
 * Crash consistency on the simulated filesystem: the crash models ({@link io.staleguard.device.fs.crash.CrashModel})
 * and the settings of one exploration ({@link io.staleguard.device.fs.crash.CrashSettings}). A crash state is what
 * the media holds after a power loss at some point of a recorded run; everything under {@code .internal} decides
 * which states are reachable, which of them to explore, and explains what each one lost.
 */
package io.staleguard.device.fs.crash;
