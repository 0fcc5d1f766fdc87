/**
 * The report files' records (per-test report, soak summary, soak violation file) and their counts by kind, as
 * docs/REPORT-FORMAT.md defines them. Imports the device's vocabulary only.
 */
@API(status = INTERNAL, since = "0.1.0")
package io.staleguard.maven.internal.model;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
