package io.staleguard.device.contract;

import io.staleguard.device.integrity.ProtectionFormat;

/**
 * What a contract test asks a backend factory for.
 *
 * @param capacity                 bytes
 * @param blockSize                512 or 4096
 * @param protection               PI format
 * @param seed                     the seed of every random decision
 * @param shortTransferProbability probability of an injected short transfer
 * @param failFast                 throw at the first violation
 */
public record ContractSpec(long capacity, int blockSize, ProtectionFormat protection, long seed,
                           double shortTransferProbability, boolean failFast) {

    /** 1 MiB, the given block size, T10 DIF Type 1, no short transfers. */
    public static ContractSpec of(int blockSize) {
        return new ContractSpec(1 << 20, blockSize, ProtectionFormat.T10_DIF_TYPE1, 0x5EED, 0, false);
    }

    public ContractSpec withShortTransfers(double p) {
        return new ContractSpec(capacity, blockSize, protection, seed, p, failFast);
    }

    public ContractSpec withFailFast() {
        return new ContractSpec(capacity, blockSize, protection, seed, shortTransferProbability, true);
    }

    public ContractSpec withProtection(ProtectionFormat f) {
        return new ContractSpec(capacity, blockSize, f, seed, shortTransferProbability, failFast);
    }
}
