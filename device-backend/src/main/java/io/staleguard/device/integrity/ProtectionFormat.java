package io.staleguard.device.integrity;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Locale;
import org.apiguardian.api.API;

/**
 * A protection-information format: the guard algorithm, the tuple size and the protection type.
 *
 * <p>The protection interval is always the device's logical block size.
 *
 * @param name  a stable name ("T10_DIF_TYPE1", "NVME_CRC64_TYPE1", "NONE")
 * @param guard the guard checksum
 * @param type  the protection type (which reference-tag rules apply)
 */
@API(status = STABLE, since = "0.1")
public record ProtectionFormat(String name, GuardAlgorithm guard, PiType type) {

    /** No protection information: nothing generated, nothing verified. */
    public static final ProtectionFormat NONE = new ProtectionFormat("NONE", GuardAlgorithm.NONE, PiType.TYPE1);
    /** T10 DIF Type 1, CRC-16/T10-DIF guard, 8-byte tuples (the default). */
    public static final ProtectionFormat T10_DIF_TYPE1 =
            new ProtectionFormat("T10_DIF_TYPE1", GuardAlgorithm.CRC16_T10DIF, PiType.TYPE1);
    /** T10 DIF Type 2: the reference tag starts at the submitted initial value. */
    public static final ProtectionFormat T10_DIF_TYPE2 =
            new ProtectionFormat("T10_DIF_TYPE2", GuardAlgorithm.CRC16_T10DIF, PiType.TYPE2);
    /** T10 DIF Type 3: the reference tag is not checked. */
    public static final ProtectionFormat T10_DIF_TYPE3 =
            new ProtectionFormat("T10_DIF_TYPE3", GuardAlgorithm.CRC16_T10DIF, PiType.TYPE3);
    /** DIX with the IP checksum as guard (host side, guard=1), Type 1 tags. */
    public static final ProtectionFormat DIX_IP_TYPE1 =
            new ProtectionFormat("DIX_IP_TYPE1", GuardAlgorithm.IP_CHECKSUM, PiType.TYPE1);
    /** NVMe 16-byte tuple with a CRC-32C guard, Type 1 tags. */
    public static final ProtectionFormat NVME_CRC32C_TYPE1 =
            new ProtectionFormat("NVME_CRC32C_TYPE1", GuardAlgorithm.CRC32C, PiType.TYPE1);
    /** NVMe 16-byte tuple with the CRC-64/NVME guard and a 48-bit reference tag, Type 1 tags. */
    public static final ProtectionFormat NVME_CRC64_TYPE1 =
            new ProtectionFormat("NVME_CRC64_TYPE1", GuardAlgorithm.CRC64_NVME, PiType.TYPE1);

    private static final ProtectionFormat[] KNOWN = {
        NONE, T10_DIF_TYPE1, T10_DIF_TYPE2, T10_DIF_TYPE3, DIX_IP_TYPE1, NVME_CRC32C_TYPE1, NVME_CRC64_TYPE1
    };

    /** Bytes of one PI tuple: 8 for T10 DIF and DIX, 16 for the NVMe formats, 0 for NONE. */
    public int tupleSize() {
        return guard.tupleSize();
    }

    /** Whether any check is performed. */
    public boolean enabled() {
        return guard != GuardAlgorithm.NONE;
    }

    /** Every predefined format. */
    public static ProtectionFormat[] known() {
        return KNOWN.clone();
    }

    /** Looks up a predefined format by name, case-insensitively; the error names the value. */
    public static ProtectionFormat named(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (ProtectionFormat f : KNOWN) {
            if (f.name.equals(n)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown protection format '" + name + "' (expected one of "
                + java.util.Arrays.stream(KNOWN).map(ProtectionFormat::name).toList() + ")");
    }
}
