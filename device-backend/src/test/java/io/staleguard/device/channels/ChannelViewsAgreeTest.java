package io.staleguard.device.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The FileChannel and AsynchronousFileChannel views give the same answers to the calls that do not depend on
 * being synchronous: size, truncate, force, locks and close, including which check wins when several fail.
 */
class ChannelViewsAgreeTest {

    private static final long CAPACITY = 1 << 20;

    private final SimulatedDevice device = SimulatedDevice.builder().capacity(CAPACITY).blockSize(512).seed(0xA9EE)
            .build();

    @AfterEach
    void close() throws IOException {
        device.close();
    }

    /** One view of the device, whichever kind: the calls both kinds have, with the same meaning. */
    private record View(Channel channel, SizeCall sizeCall, TruncateCall truncateCall, ForceCall forceCall,
                        LockCall lockCall) {

        static View of(FileChannel ch) {
            return new View(ch, ch::size, ch::truncate, () -> ch.force(true), ch::tryLock);
        }

        static View of(AsynchronousFileChannel ch) {
            return new View(ch, ch::size, ch::truncate, () -> ch.force(true), ch::tryLock);
        }

        long size() throws IOException {
            return sizeCall.size();
        }

        void truncate(long size) throws IOException {
            truncateCall.truncate(size);
        }

        void force() throws IOException {
            forceCall.force();
        }

        FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return lockCall.tryLock(position, size, shared);
        }
    }

    private interface SizeCall {
        long size() throws IOException;
    }

    private interface TruncateCall {
        void truncate(long size) throws IOException;
    }

    private interface ForceCall {
        void force() throws IOException;
    }

    private interface LockCall {
        FileLock tryLock(long position, long size, boolean shared) throws IOException;
    }

    private View open(boolean async, OpenOption... options) {
        return async ? View.of(DeviceChannels.openAsynchronous(device, options))
                : View.of(DeviceChannels.open(device, options));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sizeAndTruncateKeepTheFixedCapacity(boolean async) throws IOException {
        View v = open(async, StandardOpenOption.READ, StandardOpenOption.WRITE);
        assertThat(v.size()).isEqualTo(CAPACITY);
        v.truncate(CAPACITY);
        v.truncate(CAPACITY * 2);
        assertThat(v.size()).isEqualTo(CAPACITY);
        assertThatThrownBy(() -> v.truncate(CAPACITY - 512)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("Cannot truncate a block device to " + (CAPACITY - 512)
                        + " bytes: its size is fixed at " + CAPACITY + " bytes (");
        assertThatThrownBy(() -> v.truncate(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Negative size: -1");
        v.force();
        v.channel().close();
        assertThatThrownBy(v::size).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(v::force).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> v.truncate(CAPACITY)).isInstanceOf(ClosedChannelException.class);
        // The argument check comes before the open check, as in the JDK's channels.
        assertThatThrownBy(() -> v.truncate(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> v.tryLock(0, 1, false)).isInstanceOf(ClosedChannelException.class);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theOpenModeGuardsTruncateAndLocks(boolean async) throws IOException {
        View readOnly = open(async, StandardOpenOption.READ);
        assertThatThrownBy(() -> readOnly.truncate(CAPACITY)).isInstanceOf(NonWritableChannelException.class);
        assertThatThrownBy(() -> readOnly.tryLock(0, 1, false)).isInstanceOf(NonWritableChannelException.class);
        assertThat(readOnly.tryLock(0, 1, true).isShared()).isTrue();
        View writeOnly = open(async, StandardOpenOption.WRITE);
        assertThatThrownBy(() -> writeOnly.tryLock(100, 1, true)).isInstanceOf(NonReadableChannelException.class);
        readOnly.channel().close();
        writeOnly.channel().close();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void locksAreSharedWithTheOtherKindOfViewAndReleasedOnClose(boolean async) throws IOException {
        View v = open(async, StandardOpenOption.READ, StandardOpenOption.WRITE);
        View other = open(!async, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock held = v.tryLock(0, 4096, false);
        assertThat(held.acquiredBy()).isSameAs(v.channel());
        assertThat(held.isValid()).isTrue();
        assertThatThrownBy(() -> other.tryLock(100, 10, true)).isInstanceOf(OverlappingFileLockException.class);
        v.channel().close();
        assertThat(held.isValid()).isFalse();
        assertThat(other.tryLock(100, 10, true).isValid()).isTrue();
        other.channel().close();
    }
}
