/**
 * How real backends reach the host: POSIX calls through jnr-posix, aligned buffers, the real media behind the
 * verifying front end, and unmapping. Implementation, not API.
 */
@API(status = INTERNAL, since = "0.1")
package io.staleguard.device.file.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
