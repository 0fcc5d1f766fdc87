package io.staleguard.maven.internal.model;

/**
 * A cumulative progress sample of a soak, taken at each progress interval.
 *
 * @param elapsedMillis time since the soak started
 * @param operations    operations so far
 * @param bytes         bytes so far
 * @param violations    violations so far
 */
public record ThroughputSample(long elapsedMillis, long operations, long bytes, long violations) {
}
