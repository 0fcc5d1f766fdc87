/**
 * The Maven side of the {@code soak} goal: the fork's classpath, starting the fork and relaying its output, and
 * settling how it ended (a crash is rewritten as a {@code CRASHED} summary). Imports the Maven API, {@code fork}
 * (its protocol and configuration), {@code check}, {@code json} and {@code model}.
 */
@API(status = INTERNAL, since = "0.1.0")
package io.staleguard.maven.internal.soak;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
