package io.staleguard.device.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.nio.file.ExtendedOpenOption;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.sim.SimulatedDevice;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.Channels;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JDK channel views: storage code written against FileChannel/AsynchronousFileChannel runs unchanged. */
class DeviceChannelsTest {

    private final SimulatedDevice device = SimulatedDevice.builder().capacity(4 << 20).blockSize(512).seed(0xC4A)
            .shortTransferProbability(0.3).dmaDelay(Duration.ZERO, Duration.ofNanos(3_000)).build();

    @AfterEach
    void close() throws IOException {
        device.close();
    }

    /**
     * A small write-ahead log written only against the JDK API: length + CRC framed records,
     * appended with relative writes, forced, then recovered by a scan. Nothing in it knows about
     * Staleguard.
     */
    static final class Wal {
        static void append(FileChannel ch, byte[] payload) throws IOException {
            CRC32C crc = new CRC32C();
            crc.update(payload);
            ByteBuffer header = ByteBuffer.allocate(8).putInt(payload.length).putInt((int) crc.getValue()).flip();
            ByteBuffer body = ByteBuffer.wrap(payload);
            ByteBuffer[] record = {header, body};
            while (header.hasRemaining() || body.hasRemaining()) {
                ch.write(record);
            }
        }

        static List<byte[]> recover(FileChannel ch) throws IOException {
            List<byte[]> out = new ArrayList<>();
            long pos = 0;
            while (true) {
                ByteBuffer header = ByteBuffer.allocate(8);
                readFully(ch, header, pos);
                int len = header.getInt(0);
                if (len <= 0 || len > 1 << 20) {
                    return out;
                }
                ByteBuffer body = ByteBuffer.allocate(len);
                readFully(ch, body, pos + 8);
                CRC32C crc = new CRC32C();
                crc.update(body.array());
                if ((int) crc.getValue() != header.getInt(4)) {
                    return out;
                }
                out.add(body.array());
                pos += 8 + len;
            }
        }

        private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
            while (b.hasRemaining()) {
                if (ch.read(b, pos + b.position()) < 0) {
                    return;
                }
            }
        }
    }

    @Test
    void writeAheadLogRunsUnchangedAndRecoversEveryRecord() throws IOException {
        List<byte[]> written = new ArrayList<>();
        try (FileChannel ch = DeviceChannels.open(device, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int i = 0; i < 200; i++) {
                byte[] p = new byte[10 + (i * 37) % 900];
                java.util.Arrays.fill(p, (byte) i);
                written.add(p);
                Wal.append(ch, p);
                if (i % 50 == 49) {
                    ch.force(false);
                }
            }
            ch.force(true);
        }
        try (FileChannel ch = DeviceChannels.open(device, StandardOpenOption.READ)) {
            List<byte[]> recovered = Wal.recover(ch);
            assertThat(recovered).hasSize(200);
            for (int i = 0; i < 200; i++) {
                assertThat(recovered.get(i)).isEqualTo(written.get(i));
            }
        }
        assertThat(device.finish().all()).isEmpty();
    }

    @Test
    void asyncLogWithCompletionHandlersRunsUnchanged() throws Exception {
        try (AsynchronousFileChannel ch = DeviceChannels.openAsynchronous(device, StandardOpenOption.READ,
                StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
            List<CompletableFuture<Integer>> done = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(1024 + 512).alignedSlice(512).limit(1024);
                while (b.hasRemaining()) {
                    b.put((byte) i);
                }
                b.flip();
                CompletableFuture<Integer> f = new CompletableFuture<>();
                writeAll(ch, b, i * 1024L, f);
                done.add(f);
            }
            CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
            ch.force(true);
            for (int i = 0; i < 32; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(1024 + 512).alignedSlice(512).limit(1024);
                while (b.hasRemaining()) {
                    Future<Integer> r = ch.read(b, i * 1024L + b.position());
                    r.get(10, TimeUnit.SECONDS);
                }
                b.flip();
                while (b.hasRemaining()) {
                    assertThat(b.get()).isEqualTo((byte) i);
                }
            }
        }
        assertThat(device.finish().all()).isEmpty();
    }

    /** Continues a possibly short asynchronous write from its completion handler, as correct AIO code does. */
    private static void writeAll(AsynchronousFileChannel ch, ByteBuffer b, long pos, CompletableFuture<Integer> done) {
        ch.write(b, pos, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer n, Void a) {
                if (b.hasRemaining()) {
                    ch.write(b, pos + b.position(), null, this);
                } else {
                    done.complete(b.position());
                }
            }

            @Override
            public void failed(Throwable e, Void a) {
                done.completeExceptionally(e);
            }
        });
    }

    @Test
    void positionSizeTruncateAndOptions() throws IOException {
        try (FileChannel ch = DeviceChannels.open(device, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertThat(ch.size()).isEqualTo(4 << 20);
            ch.position(1000);
            assertThat(ch.position()).isEqualTo(1000);
            ch.truncate(ch.size()); // no-op, as for a file of that size
            assertThat(ch.size()).isEqualTo(4 << 20);
            assertThatThrownBy(() -> ch.position(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
            ch.position(ch.size());
            assertThat(ch.read(ByteBuffer.allocate(10))).isEqualTo(-1);
        }
        assertThatThrownBy(() -> DeviceChannels.open(device, StandardOpenOption.APPEND))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("APPEND");
        try (FileChannel ro = DeviceChannels.open(device)) {
            assertThatThrownBy(() -> ro.write(ByteBuffer.allocate(1))).isInstanceOf(NonWritableChannelException.class);
        }
    }

    @Test
    void locksAreInProcessRangeLocks() throws IOException {
        try (FileChannel a = DeviceChannels.open(device, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel b = DeviceChannels.open(device, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l = a.lock(0, 4096, false);
            assertThatThrownBy(() -> b.tryLock(100, 10, false)).isInstanceOf(OverlappingFileLockException.class);
            FileLock other = b.tryLock(4096, 4096, true);
            assertThat(other.isShared()).isTrue();
            l.release();
            assertThat(b.tryLock(0, 10, false)).isNotNull();
        }
    }

    @Test
    void transferToAndFromCopyThroughTheDevice() throws IOException {
        byte[] data = new byte[100_000];
        new java.util.Random(5).nextBytes(data);
        try (FileChannel ch = DeviceChannels.open(device, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long in = 0;
            var src = Channels.newChannel(new java.io.ByteArrayInputStream(data));
            while (in < data.length) {
                in += ch.transferFrom(src, 333 + in, data.length - in);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            var sink = Channels.newChannel(out);
            long copied = 0;
            while (copied < data.length) {
                copied += ch.transferTo(333 + copied, data.length - copied, sink);
            }
            assertThat(out.toByteArray()).isEqualTo(data);
            ch.force(true);
        }
        assertThat(device.finish().all()).isEmpty();
    }

    @Test
    void closingAChannelFlagsItsShortReadThatWasNeverContinued() throws IOException {
        FileChannel ch = DeviceChannels.open(device, StandardOpenOption.READ);
        ByteBuffer b = ByteBuffer.allocate(4096);
        int n;
        long at = 0;
        do {
            b.clear();
            n = ch.read(b, at);
            at += 4096;
        } while (n == 4096); // reads until the first short read, then gives up
        ch.close();
        assertThat(device.violations().count(ViolationKind.SHORT_TRANSFER)).isEqualTo(1);
        assertThat(device.violations().all().get(0).detail()).contains(DeviceChannels.callerOf(ch).name());
    }
}
