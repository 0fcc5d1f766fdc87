/**
 * Crash exploration's implementation: the persistence log's records, the crash points of a log, the volatile
 * items each model leaves at a point, the planner that numbers the explored states, the fingerprint that keeps
 * identical states out, the durability check of acknowledged claims, and the explanation of what was missing.
 */
package io.staleguard.device.fs.crash.internal;
