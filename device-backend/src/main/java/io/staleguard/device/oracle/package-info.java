/**
 * The history oracle: what every read was allowed to return, and what it did return.
 *
 * <ul>
 *   <li>{@link io.staleguard.device.oracle.HistoryOracle} records, per logical block, each write's
 *       submit and completion order and a content fingerprint, and classifies every read
 *       (stale, torn, corrupt). It also checks data served above the device (user-level page
 *       caches) through {@link io.staleguard.device.oracle.HistoryOracle#checkServed}.</li>
 *   <li>{@link io.staleguard.device.oracle.ShortTransferTracker} flags short reads and writes that
 *       the caller did not continue (KAFKA-4576, GEODE-2398).</li>
 *   <li>{@link io.staleguard.device.oracle.ViolationRecorder} is the bounded, thread-safe sink all
 *       detectors record into; {@link io.staleguard.device.oracle.OperationLog} is the bounded ring
 *       of recent operations attached to each violation as its timeline.</li>
 * </ul>
 *
 * All types are thread safe; no lock is held while user code (listeners, media readers, clocks)
 * runs.
 *
 * <p>Stable: {@code IoConsistencyException} and {@code InitialContent}; experimental: the rest.
 */
package io.staleguard.device.oracle;
