/**
 * The Staleguard Maven plugin's goals: {@code soak} ({@link io.staleguard.maven.SoakMojo}), {@code check}
 * ({@link io.staleguard.maven.CheckMojo}), {@code report} ({@link io.staleguard.maven.ReportMojo}) and
 * {@code merge} ({@link io.staleguard.maven.MergeMojo}). Their parameters ({@code staleguard.*} properties) are
 * the plugin's public surface; the classes are marked {@code @API(status = EXPERIMENTAL)}. Everything under
 * {@code io.staleguard.maven.internal} may change in any release.
 */
package io.staleguard.maven;
