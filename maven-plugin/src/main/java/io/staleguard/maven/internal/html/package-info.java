/**
 * The self-contained HTML report: index, one page per violation, timelines and throughput drawn as SVG.
 * Imports {@code check}, {@code json} and {@code model}.
 */
@API(status = INTERNAL, since = "0.1.0")
package io.staleguard.maven.internal.html;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
