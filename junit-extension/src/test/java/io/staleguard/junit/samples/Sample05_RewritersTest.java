package io.staleguard.junit.samples;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoMode;
import io.staleguard.junit.Device;
import io.staleguard.junit.RewriterThreads;
import io.staleguard.junit.Rewriters;
import io.staleguard.junit.StaleguardTest;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Sample 05: rewriter threads stress the device while the test body runs. STAMPED_REGION writes and verifies
 * self-checking blocks on a reserved region at the end of the device (keep your own I/O below
 * {@link RewriterThreads#reservedOffset()}); READAHEAD_TRAILER reads behind you through the page cache;
 * TOUCH_WRITEBACK re-dirties pages under writeback. {@link RewriterThreads#run} runs your own body on extra
 * threads. All of them are stopped and joined when the body ends.
 */
@StaleguardTest
class Sample05_RewritersTest {

    @Test
    void logUnderStampedRewriters(@Device(size = "8MiB", name = "d") BlockDevice device,
                                  @Rewriters(threads = 2, device = "d") RewriterThreads rewriters) throws Exception {
        AtomicLong reads = new AtomicLong();
        rewriters.run((d, worker, stop) -> {
            ByteBuffer b = ByteBuffer.allocate(4096);
            while (!stop.getAsBoolean()) {
                b.clear();
                long at = 0;
                while (b.hasRemaining()) {
                    at += d.read(b, at, IoMode.BUFFERED); // short reads are legal: continue them
                }
                reads.incrementAndGet();
                Thread.sleep(1);
            }
        });
        ByteBuffer block = ByteBuffer.allocateDirect(2 * 4096).alignedSlice(4096);
        for (long pos = 0; pos < rewriters.reservedOffset() && pos < (1 << 20); pos += 4096) {
            block.clear().limit(4096);
            block.put(0, (byte) (pos >> 12));
            long at = pos;
            while (block.hasRemaining()) {
                at += device.write(block, at, IoMode.DIRECT);
            }
        }
    }

    @Test
    void trailingReader(@Device(size = "8MiB") BlockDevice device,
                        @Rewriters(threads = 1, pattern = Rewriters.Pattern.READAHEAD_TRAILER) RewriterThreads r)
            throws Exception {
        ByteBuffer block = ByteBuffer.allocateDirect(2 * 4096).alignedSlice(4096);
        for (long pos = 0; pos < (1 << 20); pos += 4096) {
            block.clear().limit(4096);
            long at = pos;
            while (block.hasRemaining()) {
                at += device.write(block, at, IoMode.DIRECT);
            }
        }
    }
}
