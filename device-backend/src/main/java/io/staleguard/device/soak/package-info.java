/**
 * The device-only main job ({@code mvn -pl device-backend exec:java}): a seeded soak of the simulated
 * device, then the simulated kernel's detection matrix. It sits above the simulated kernel, which it runs.
 *
 * <p>Experimental: every type.
 */
package io.staleguard.device.soak;
