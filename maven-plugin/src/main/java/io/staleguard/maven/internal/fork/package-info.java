/**
 * The forked soak JVM: its entry point, the parts it spends the budget on (hazard scenarios, repeated
 * {@code @Soak} tests, a real-backend workload), the statistics and files it writes, and the protocol by which it
 * talks to the {@code soak} goal. Imports {@code check} (file names), {@code json}, {@code model} and
 * {@code settings}; never the Maven API, which is not on the fork's classpath.
 */
@API(status = INTERNAL, since = "0.1.0")
package io.staleguard.maven.internal.fork;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
