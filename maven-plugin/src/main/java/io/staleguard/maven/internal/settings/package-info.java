/**
 * Parsers of what users write in {@code staleguard.*} properties (durations, seeds, shards, presets), each
 * refusing a bad value in one line that names the property. Imports the device's vocabulary only.
 */
@API(status = INTERNAL, since = "0.1.0")
package io.staleguard.maven.internal.settings;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
