package io.staleguard.device.integrity;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** The guard checksum of a protection-information tuple. */
@API(status = STABLE, since = "0.1")
public enum GuardAlgorithm {
    /** No guard: protection disabled. */
    NONE(0),
    /** CRC-16/T10-DIF: poly 0x8BB7, init 0, not reflected, xorout 0 (check 0xD0DB). 8-byte tuple. */
    CRC16_T10DIF(8),
    /** The 16-bit IP checksum (DIX guard type 1). 8-byte tuple. */
    IP_CHECKSUM(8),
    /** NVMe 32-bit guard: CRC-32C (check 0xE3069283). 16-byte tuple. */
    CRC32C(16),
    /** NVMe 64-bit guard: CRC-64/NVME (check 0xAE8B14860A799888), 48-bit reference tag. 16-byte tuple. */
    CRC64_NVME(16);

    private final int tupleSize;

    GuardAlgorithm(int tupleSize) {
        this.tupleSize = tupleSize;
    }

    /** Size in bytes of a tuple carrying this guard. */
    public int tupleSize() {
        return tupleSize;
    }
}
