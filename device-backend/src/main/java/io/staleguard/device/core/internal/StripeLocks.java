package io.staleguard.device.core.internal;

import io.staleguard.device.integrity.PiStore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks over logical blocks. A transfer locks every stripe of its block range (in
 * ascending stripe order, so two transfers never deadlock) while data and protection information
 * move together; that makes each block's data and tuple atomic, as a real device's atomic write
 * unit of one logical block does, without a device-wide lock. The PI store relies on them
 * ({@link PiStore.LbaLocks}) instead of locking its chunks on every call.
 */
final class StripeLocks implements PiStore.LbaLocks {

    private static final int STRIPES = 256;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    StripeLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    @Override
    public void lock(long lba) {
        locks[(int) (lba & (STRIPES - 1))].lock();
    }

    @Override
    public void unlock(long lba) {
        locks[(int) (lba & (STRIPES - 1))].unlock();
    }

    /** Locks the stripes of blocks {@code [firstLba, firstLba + count)}. */
    void lock(long firstLba, long count) {
        if (count >= STRIPES) {
            for (ReentrantLock l : locks) {
                l.lock();
            }
            return;
        }
        int start = (int) (firstLba & (STRIPES - 1));
        int end = start + (int) count;
        if (end <= STRIPES) {
            for (int i = start; i < end; i++) {
                locks[i].lock();
            }
        } else {
            for (int i = 0; i < end - STRIPES; i++) {
                locks[i].lock();
            }
            for (int i = start; i < STRIPES; i++) {
                locks[i].lock();
            }
        }
    }

    /** Unlocks what {@link #lock} locked for the same range. */
    void unlock(long firstLba, long count) {
        if (count >= STRIPES) {
            for (ReentrantLock l : locks) {
                l.unlock();
            }
            return;
        }
        int start = (int) (firstLba & (STRIPES - 1));
        int end = start + (int) count;
        if (end <= STRIPES) {
            for (int i = start; i < end; i++) {
                locks[i].unlock();
            }
        } else {
            for (int i = 0; i < end - STRIPES; i++) {
                locks[i].unlock();
            }
            for (int i = start; i < STRIPES; i++) {
                locks[i].unlock();
            }
        }
    }
}
