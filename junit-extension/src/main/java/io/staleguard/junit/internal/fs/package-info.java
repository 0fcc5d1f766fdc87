/**
 * The verifying filesystem behind an injected {@code Path}: a {@link java.nio.file.spi.FileSystemProvider} that
 * wraps the host's, in the manner of Lucene's test-framework mockfile wrappers, and routes every file channel
 * through protection-information checks and the history oracle.
 */
@API(status = INTERNAL, since = "0.1.0")
package io.staleguard.junit.internal.fs;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
