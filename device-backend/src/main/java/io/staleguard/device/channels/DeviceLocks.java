package io.staleguard.device.channels;

import java.nio.channels.Channel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * In-process byte-range locks per device, with the JDK's semantics within one JVM: a lock that
 * overlaps one already held through any channel of the same device throws
 * {@link OverlappingFileLockException}. There is no other process to exclude: a device object
 * lives in one JVM.
 */
final class DeviceLocks {

    private static final Map<Object, List<RangeLock>> HELD = new IdentityHashMap<>();

    private DeviceLocks() {
    }

    static synchronized RangeLock acquire(Object device, Channel channel, long position, long size, boolean shared,
                                          LockOwner owner) {
        if (position < 0 || size < 0 || position + size < 0) {
            throw new IllegalArgumentException("lock range position " + position + ", size " + size
                    + " is negative or overflows");
        }
        List<RangeLock> held = HELD.computeIfAbsent(device, d -> new ArrayList<>());
        for (RangeLock l : held) {
            if (l.overlaps(position, size)) {
                throw new OverlappingFileLockException();
            }
        }
        RangeLock lock = owner.create(channel, position, size, shared);
        held.add(lock);
        return lock;
    }

    static synchronized void release(Object device, RangeLock lock) {
        List<RangeLock> held = HELD.get(device);
        if (held != null) {
            held.remove(lock);
            if (held.isEmpty()) {
                HELD.remove(device);
            }
        }
    }

    static synchronized void releaseAll(Object device, Channel channel) {
        List<RangeLock> held = HELD.get(device);
        if (held == null) {
            return;
        }
        for (RangeLock l : new ArrayList<>(held)) {
            if (l.acquiredBy() == channel) {
                l.invalidate();
                held.remove(l);
            }
        }
        if (held.isEmpty()) {
            HELD.remove(device);
        }
    }

    interface LockOwner {
        RangeLock create(Channel channel, long position, long size, boolean shared);
    }

    /** A lock of a range of a device. */
    static final class RangeLock extends FileLock {
        private final Object device;
        private volatile boolean valid = true;

        RangeLock(java.nio.channels.FileChannel channel, Object device, long position, long size, boolean shared) {
            super(channel, position, size, shared);
            this.device = device;
        }

        RangeLock(java.nio.channels.AsynchronousFileChannel channel, Object device, long position, long size,
                  boolean shared) {
            super(channel, position, size, shared);
            this.device = device;
        }

        @Override
        public boolean isValid() {
            return valid && acquiredBy().isOpen();
        }

        void invalidate() {
            valid = false;
        }

        @Override
        public void release() throws java.io.IOException {
            if (!acquiredBy().isOpen()) {
                throw new java.nio.channels.ClosedChannelException();
            }
            if (valid) {
                valid = false;
                DeviceLocks.release(device, this);
            }
        }
    }
}
