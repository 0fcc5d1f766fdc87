/**
 * What a {@code target/staleguard/} directory holds ({@code ReportSet}) and the build verdict over it
 * ({@code Verdict}), for the {@code check} goal and the report's verdict line. Imports {@code json} and
 * {@code model}.
 */
@API(status = INTERNAL, since = "0.1.0")
package io.staleguard.maven.internal.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
