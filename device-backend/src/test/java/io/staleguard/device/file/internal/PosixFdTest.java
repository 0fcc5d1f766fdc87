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
}
