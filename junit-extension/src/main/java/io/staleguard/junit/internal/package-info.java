/**
 * The extension's machinery: configuration, seeds, device provisioning, rewriters, the verifying filesystem,
 * verdicts and reports. Not a public API; use the annotations in {@code io.staleguard.junit}.
 */
@API(status = INTERNAL, since = "0.1.0")
package io.staleguard.junit.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
