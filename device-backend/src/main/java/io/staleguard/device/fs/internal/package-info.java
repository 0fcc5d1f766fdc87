/**
 * The simulated filesystem's implementation: the provider, paths, the namespace and its journal, the extent
 * allocator, and {@code FileData}, the one class that turns file offsets into device calls.
 */
package io.staleguard.device.fs.internal;
