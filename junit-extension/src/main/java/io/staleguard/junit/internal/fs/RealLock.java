package io.staleguard.junit.internal.fs;

import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;

/** A lock of the real file's channel presented as a lock of the verifying channel that asked for it. */
final class RealLock extends FileLock {

    private final FileLock real;

    RealLock(FileChannel channel, FileLock real) {
        super(channel, real.position(), real.size(), real.isShared());
        this.real = real;
    }

    RealLock(AsynchronousFileChannel channel, FileLock real) {
        super(channel, real.position(), real.size(), real.isShared());
        this.real = real;
    }

    @Override
    public boolean isValid() {
        return real.isValid();
    }

    @Override
    public void release() throws IOException {
        real.release();
    }
}
