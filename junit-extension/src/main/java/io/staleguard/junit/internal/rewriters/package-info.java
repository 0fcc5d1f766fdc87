/** The rewriter threads of {@code @Rewriters}: the built-in workloads and their lifecycle. */
package io.staleguard.junit.internal.rewriters;
