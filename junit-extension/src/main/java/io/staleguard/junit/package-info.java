/**
 * The Staleguard JUnit 5 extension's public API: {@link io.staleguard.junit.StaleguardTest @StaleguardTest},
 * {@link io.staleguard.junit.Device @Device}, {@link io.staleguard.junit.Rewriters @Rewriters},
 * {@link io.staleguard.junit.Soak @Soak}, the handle {@link io.staleguard.junit.RewriterThreads}, the failure
 * {@link io.staleguard.junit.IoConsistencyError} and the optional AssertJ entry points
 * {@link io.staleguard.junit.StaleguardAssertions}. Each type says how stable it is with {@code @API}, as JUnit's
 * own types do; everything under {@code io.staleguard.junit.internal} is the extension's machinery and may change
 * in any release.
 */
package io.staleguard.junit;
