package io.staleguard.device.core.internal;

import io.staleguard.device.integrity.PiStore;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
    private static final VarHandle LOCKS = MethodHandles.arrayElementVarHandle(ReentrantLock[].class);

    // Made on first use: a device a test makes and closes after a few operations should not pay for
    // 256 locks (two thirds of making the device, a tenth of the whole test, in a wall-clock profile
    // of ExtensionLifecycleBenchmark). A plain read that sees a lock sees it whole (ReentrantLock's
    // state lives behind its final field). Unlocking reads the array plainly: the stripe was made
    // or seen by the same thread when it locked.
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    StripeLocks() {
    }

    @Override
    public void lock(long lba) {
        stripe((int) (lba & (STRIPES - 1))).lock();
    }

    @Override
    public void unlock(long lba) {
        locks[(int) (lba & (STRIPES - 1))].unlock();
    }

    ReentrantLock stripe(int i) {
        ReentrantLock l = locks[i];
        return l != null ? l : make(i);
    }

    /** Makes stripe {@code i}'s lock, or returns the one a racing thread made first. */
    ReentrantLock make(int i) {
        ReentrantLock made = new ReentrantLock();
        ReentrantLock there = (ReentrantLock) LOCKS.compareAndExchange(locks, i, (ReentrantLock) null, made);
        return there == null ? made : there;
    }

    /** Locks the stripes of blocks {@code [firstLba, firstLba + count)}. */
    void lock(long firstLba, long count) {
        if (count >= STRIPES) {
            for (int i = 0; i < STRIPES; i++) {
                stripe(i).lock();
            }
            return;
        }
        int start = (int) (firstLba & (STRIPES - 1));
        int end = start + (int) count;
        if (end <= STRIPES) {
            for (int i = start; i < end; i++) {
                stripe(i).lock();
            }
        } else {
            for (int i = 0; i < end - STRIPES; i++) {
                stripe(i).lock();
            }
            for (int i = start; i < STRIPES; i++) {
                stripe(i).lock();
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
