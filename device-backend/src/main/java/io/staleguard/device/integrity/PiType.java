package io.staleguard.device.integrity;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The T10 protection type, which decides how the reference tag is checked.
 *
 * <ul>
 *   <li>Type 1: reference tag = low 32 bits (48 for the NVMe 64-bit guard) of the LBA in
 *       protection-interval units.</li>
 *   <li>Type 2: reference tag = the submitted initial reference tag, incremented per interval.</li>
 *   <li>Type 3: the reference tag is not checked.</li>
 * </ul>
 * Escapes: an application tag of 0xFFFF disables every check for Types 1 and 2; Type 3 needs an
 * application tag of 0xFFFF <em>and</em> an all-ones reference tag.
 */
@API(status = STABLE, since = "0.1")
public enum PiType {
    TYPE1, TYPE2, TYPE3
}
