/** The rewriter threads of {@code @Rewriters}: the built-in workloads and their lifecycle. */
@API(status = INTERNAL, since = "0.1.0")
package io.staleguard.junit.internal.rewriters;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
