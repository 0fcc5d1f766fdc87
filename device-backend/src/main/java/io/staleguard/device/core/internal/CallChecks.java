package io.staleguard.device.core.internal;

import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The first stage of every call: the arguments, the device being open and the O_DIRECT
 * alignment, checked in the order the messages promise. Returns the bytes the call asks for.
 */
final class CallChecks {

    private final CoreState s;
    private final int blockSize;

    CallChecks(CoreState state) {
        this.s = state;
        this.blockSize = state.blockSize;
    }

    /** The checks of a one-buffer call. */
    long check(ByteBuffer buffer, boolean intoBuffer, long offset, IoMode mode, IoCaller caller) throws IOException {
        IoArguments.checkBuffer(buffer, intoBuffer);
        checkTarget(offset, mode, caller);
        if (mode == IoMode.DIRECT) {
            IoArguments.checkDirect(buffer, offset, blockSize);
        }
        return buffer.remaining();
    }

    /** The checks of a scattering or gathering call. */
    long check(ByteBuffer[] buffers, boolean intoBuffers, long offset, IoMode mode, IoCaller caller)
            throws IOException {
        long total = IoArguments.checkBuffers(buffers, intoBuffers);
        checkTarget(offset, mode, caller);
        if (mode == IoMode.DIRECT) {
            IoArguments.checkDirect(buffers, offset, blockSize);
        }
        return total;
    }

    /** Throws if the device was closed. */
    void checkOpen() throws IOException {
        if (s.closed.get()) {
            throw new DeviceClosedException(s.describe());
        }
    }

    private void checkTarget(long offset, IoMode mode, IoCaller caller) throws IOException {
        IoArguments.checkModeAndCaller(mode, caller);
        checkOpen();
        IoArguments.checkOffset(offset);
    }
}
