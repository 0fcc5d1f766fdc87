package io.staleguard.device.core.internal;

import io.staleguard.device.integrity.GuardAlgorithm;
import io.staleguard.device.integrity.PiStore;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.integrity.ProtectionInformation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Guards computed when they are needed, not at every write. The CRC-16 (or IP checksum, or
 * CRC-64) guard of a 4 KiB block costs about 1.9 µs in Java, most of a verified write; the
 * CRC-32C of the same block is a hardware instruction (about 0.1 µs). On media that only the
 * front end changes, a write stores its tuples' tags with the CRC-32C of each block's data in place
 * of the guard ({@link PiStore#put(long, byte[], int, int, long[], int)}); a read whose data has that
 * CRC-32C is the data the guard was for, so it passes the guard check without the guard. Only data
 * that differs (a flipped bit, a test's corruption) needs the exact guard, which the PI store then
 * computes from the data as it was stored: the verdicts, expected and actual guards are the ones an
 * eager guard gives, except for changes that CRC-32C misses and CRC-16 would not (a chance of 2^-32
 * per changed block).
 */
final class DeferredGuards {

    private final CoreState s;
    private final boolean on;
    private final ProtectionFormat protection;
    private final int blockSize;
    private final int blockShift;
    private final int tupleSize;
    private final int appTag;

    DeferredGuards(CoreState state) {
        this.s = state;
        this.protection = state.protection;
        this.blockSize = state.blockSize;
        this.blockShift = state.blockShift;
        this.tupleSize = state.tupleSize;
        this.appTag = state.appTag;
        // CRC-32C as the guard is already the fingerprint: nothing to defer.
        this.on = state.piEnabled && protection.guard() != GuardAlgorithm.CRC32C
                && state.media.changesOnlyThroughFrontEnd();
        if (on) {
            state.piStore.resolveFrom(this::readStored, blockSize);
        }
    }

    /** Whether guards are deferred on this device. */
    boolean on() {
        return on;
    }

    /**
     * As {@link #generate(byte[], int, long, int, byte[], long[])}, hashing the data once for the history
     * oracle too: the CRC-32C of each 512-byte sector goes to {@code sectorCrcs[0...]}, and each block's
     * fingerprint is combined from its sectors' ({@link SectorCrcs}).
     */
    void generate(byte[] image, int off, long offset, int blocks, byte[] tuples, long[] fingerprints,
                  int[] sectorCrcs) {
        int sectors = blockSize / SectorCrcs.SECTOR;
        SectorCrcs.sectors(image, off, blocks * sectors, sectorCrcs, 0);
        for (int i = 0; i < blocks; i++) {
            fingerprints[i] = SectorCrcs.combined(sectorCrcs, i * sectors, sectors);
        }
        ProtectionInformation.deferredTags(protection, blocks, offset >> blockShift, 0, appTag, tuples, 0);
    }

    /** Tags and fingerprints of {@code blocks} blocks of {@code image[off...]} landing as the blocks at {@code offset}. */
    void generate(byte[] image, int off, long offset, int blocks, byte[] tuples, long[] fingerprints) {
        ProtectionInformation.generateDeferred(protection, ByteBuffer.wrap(image, off, blocks << blockShift), blockSize,
                offset >> blockShift, 0, appTag, tuples, 0, fingerprints, 0);
    }

    /**
     * Under the blocks' stripe locks, right after their data and tuples were read: a block whose data
     * lost the fingerprint of its deferred guard gets the exact guard now, while the stored data is
     * still the one the guard stands for, and its entry becomes {@link PiStore#EXACT}. The other
     * entries stay: confirmed for {@link ProtectionInformation#verify(ProtectionFormat, ByteBuffer, int, long, long,
     * byte[], int, int, int, long[], int)}.
     */
    void confirm(byte[] data, int off, long lba, int blocks, byte[] tuples, long[] fingerprints) {
        for (int i = 0; i < blocks; i++) {
            long fp = fingerprints[i];
            if (fp == PiStore.EXACT) {
                continue;
            }
            CRC32C crc = new CRC32C(); // one per block, so that escape analysis removes it
            crc.update(data, off + (i << blockShift), blockSize);
            if (crc.getValue() != fp) {
                s.piStore.resolve(lba + i, 1);
                s.piStore.get(lba + i, tuples, i * tupleSize, 1);
                fingerprints[i] = PiStore.EXACT;
            }
        }
    }

    /** The data stored at {@code lba}, for the PI store's exact guard. */
    private void readStored(long lba, byte[] dst) {
        s.locks.lock(lba, 1);
        try {
            s.media.readStored(lba << blockShift, dst, 0, blockSize);
        } catch (IOException e) {
            throw new UncheckedIOException("media read of LBA " + lba + " for its guard failed", e);
        } finally {
            s.locks.unlock(lba, 1);
        }
    }
}
