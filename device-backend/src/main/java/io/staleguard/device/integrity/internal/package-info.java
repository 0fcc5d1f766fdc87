/**
 * The implementations behind {@link io.staleguard.device.integrity.Crc16T10Dif}: the slicing-by-16 reference,
 * the interleaved pure-Java engine, and the choice among them and ISA-L's {@code crc16_t10dif} (the latter only
 * in the JDK 22 part of the multi-release jar). Implementation, not API.
 */
@API(status = INTERNAL, since = "0.1")
package io.staleguard.device.integrity.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
