package io.staleguard.device.file.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One descriptor: calls and close are ordered, so a closed (and reused) descriptor number is never used. */
class PosixFdTest {

    @TempDir
    Path dir;

    @Test
    void everyCallAfterCloseFailsAsAClosedChannelAndCloseIsIdempotent() throws IOException {
        Path f = dir.resolve("a.dat");
        Files.write(f, new byte[8192]);
        PosixFd fd = PosixFd.open(f, false, false);
        ByteBuffer b = AlignedBuffers.allocate(4096, 4096);
        assertThat(fd.pread(b, 0)).isEqualTo(4096);
        assertThat(b.position()).isEqualTo(4096);
        fd.close();
        fd.close();
        assertThat(fd.isClosed()).isTrue();
        assertThatThrownBy(() -> fd.pread(b.clear(), 0)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> fd.pwrite(b.clear(), 0)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(fd::fsync).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(fd::fdatasync).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(fd::size).isInstanceOf(ClosedChannelException.class);
    }

    /**
     * Two threads read while the descriptor is closed and its number handed to a new open of
     * another file: every read either sees the first file or fails as closed, never reads the
     * other file through the reused number and never fails with EBADF.
     */
    @Test
    void readersRacingCloseNeverUseTheReusedDescriptorNumber() throws Exception {
        Path first = dir.resolve("first.dat");
        Path other = dir.resolve("other.dat");
        byte[] ones = new byte[4096];
        Arrays.fill(ones, (byte) 1);
        byte[] twos = new byte[4096];
        Arrays.fill(twos, (byte) 2);
        Files.write(first, ones);
        Files.write(other, twos);
        for (int round = 0; round < 50; round++) {
            PosixFd fd = PosixFd.open(first, false, false);
            AtomicReference<Throwable> wrong = new AtomicReference<>();
            CountDownLatch started = new CountDownLatch(2);
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread r = new Thread(() -> {
                    ByteBuffer b = AlignedBuffers.allocate(4096, 4096);
                    byte[] got = new byte[4096];
                    started.countDown();
                    try {
                        while (true) {
                            b.clear();
                            fd.pread(b, 0);
                            b.flip().get(got);
                            if (!Arrays.equals(got, ones)) {
                                wrong.compareAndSet(null, new AssertionError("read " + got[0] + "s after close"));
                                return;
                            }
                        }
                    } catch (ClosedChannelException expected) {
                        // the close won: the only allowed failure
                    } catch (Throwable e) {
                        wrong.compareAndSet(null, e);
                    }
                });
                r.start();
                readers.add(r);
            }
            started.await();
            fd.close();
            // Very likely handed the number just freed.
            try (PosixFd reused = PosixFd.open(other, false, false)) {
                for (Thread r : readers) {
                    r.join(10_000);
                }
            }
            assertThat(wrong.get()).as("round " + round).isNull();
        }
    }

    /**
     * The calls by native address (the media's scratch buffers): the count, -1 at the end of the file, and
     * the kernel's own errno in a failure, which jnr-ffi saved right after the call (an unaligned O_DIRECT
     * transfer: EINVAL).
     */
    @Test
    void callsByAddressReturnTheCountEndOfFileAndTheKernelsErrno() throws IOException {
        Path f = dir.resolve("direct.dat");
        byte[] sevens = new byte[4096];
        Arrays.fill(sevens, (byte) 7);
        Files.write(f, sevens);
        ByteBuffer b = AlignedBuffers.allocate(8192, 4096);
        long address = PositionalCalls.address(b);
        try (PosixFd fd = PosixFd.open(f, true, false)) {
            assertThat(fd.pread(address, 4096, 0)).isEqualTo(4096);
            assertThat(b.get(0)).isEqualTo((byte) 7);
            assertThat(b.get(4095)).isEqualTo((byte) 7);
            assertThat(fd.pread(address, 4096, 4096)).isEqualTo(-1);
            assertThat(fd.pwrite(address, 4096, 4096)).isEqualTo(4096);
            assertThat(fd.size()).isEqualTo(8192);
            assertThatThrownBy(() -> fd.pread(address + 1, 4096, 0)).isInstanceOf(IOException.class)
                    .hasMessageContaining("pread").hasMessageContaining("Invalid argument")
                    .hasMessageContaining("errno 22").hasMessageContaining("O_DIRECT");
            assertThatThrownBy(() -> fd.pwrite(address + 1, 4096, 0)).isInstanceOf(IOException.class)
                    .hasMessageContaining("pwrite").hasMessageContaining("errno 22");
        }
        assertThatThrownBy(() -> PositionalCalls.address(ByteBuffer.allocate(16)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("direct buffer");
    }
}
