package io.staleguard.device.fs.crash.internal;

/**
 * One planned crash state: its number (what {@code -Dstaleguard.crashState=n} names), its crash point, the option
 * of every volatile item of that point, and the fingerprint of its image.
 */
public record StatePlan(int index, CrashPoint point, int[] choices, StateFingerprint fingerprint) {
}
