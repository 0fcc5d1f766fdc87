/**
 * The extension's machinery: configuration, seeds, device provisioning, rewriters, the verifying filesystem,
 * verdicts and reports. Not a public API; use the annotations in {@code io.staleguard.junit}.
 */
package io.staleguard.junit.internal;
