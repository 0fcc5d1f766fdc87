package io.staleguard.device.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A lock-free pool of byte arrays in power-of-two size classes, so that the snapshots of writes in
 * flight are recycled instead of allocated per operation. Arrays above {@link #MAX_POOLED} bytes
 * are neither pooled nor retained.
 */
final class ByteArrayPool {

    static final int MIN_SHIFT = 9;
    static final int MAX_SHIFT = 20;
    static final int MAX_POOLED = 1 << MAX_SHIFT;
    private static final int SLOTS = 64;

    private final List<AtomicReferenceArray<byte[]>> classes;

    ByteArrayPool() {
        List<AtomicReferenceArray<byte[]>> list = new ArrayList<>();
        for (int i = MIN_SHIFT; i <= MAX_SHIFT; i++) {
            list.add(new AtomicReferenceArray<>(SLOTS));
        }
        classes = list;
    }

    /** An array of at least {@code size} bytes (contents undefined). */
    byte[] acquire(int size) {
        if (size > MAX_POOLED) {
            return new byte[size];
        }
        int cls = sizeClass(size);
        AtomicReferenceArray<byte[]> slots = classes.get(cls);
        int start = (int) (Thread.currentThread().getId() & (SLOTS - 1));
        for (int i = 0; i < SLOTS; i++) {
            int s = (start + i) & (SLOTS - 1);
            if (slots.get(s) != null) {
                byte[] a = slots.getAndSet(s, null);
                if (a != null) {
                    return a;
                }
            }
        }
        return new byte[1 << (cls + MIN_SHIFT)];
    }

    /** Returns an array obtained from {@link #acquire}. */
    void release(byte[] a) {
        int len = a.length;
        if (len > MAX_POOLED || len < (1 << MIN_SHIFT) || Integer.bitCount(len) != 1) {
            return;
        }
        AtomicReferenceArray<byte[]> slots = classes.get(sizeClass(len));
        int start = (int) (Thread.currentThread().getId() & (SLOTS - 1));
        for (int i = 0; i < SLOTS; i++) {
            int s = (start + i) & (SLOTS - 1);
            if (slots.get(s) == null && slots.compareAndSet(s, null, a)) {
                return;
            }
        }
    }

    private static int sizeClass(int size) {
        int shift = 32 - Integer.numberOfLeadingZeros(Math.max(size, 1 << MIN_SHIFT) - 1);
        return shift - MIN_SHIFT;
    }
}
