/**
 * Combines soak summaries of several machines or shards into one. Imports {@code model}, and {@code check} for the order of statuses.
 */
@API(status = INTERNAL, since = "0.1.0")
package io.staleguard.maven.internal.merge;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
