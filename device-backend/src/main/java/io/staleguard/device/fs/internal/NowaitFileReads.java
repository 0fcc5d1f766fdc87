package io.staleguard.device.fs.internal;

import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import io.staleguard.device.oracle.ShortTransferTracker;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.PartialDirectRead;
import io.staleguard.device.sim.kernel.internal.PartialDirectReads;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * H5 on a file (Filipe Manana, "[PATCH] iomap: fix incomplete async dio reads when using IOMAP_DIO_PARTIAL",
 * 2022-02-28, commit 51bd9563): the asynchronous DIRECT reads of one channel, under a kernel whose NOWAIT read
 * completes with the mappings before the first buffer page that is not faulted in
 * ({@link PartialDirectRead#NOWAIT_PARTIAL_FIRST_EXTENT}).
 *
 * <p>btrfs maps such a read by the file's extents, so this is decided here, over the file's {@link ExtentList}
 * (its extents and its holes), with the device-level model's rule ({@link PartialDirectReads#delivered}) and its
 * seeded draw of the buffer's residency (one draw per request of this channel). The bytes kept are read as device
 * calls of at most one page, which the device-level model (extents from the device's write history) never cuts
 * again. A read cut short leaves the caller a pending short read at the first byte it did not get, in the device's
 * short-transfer tracker: a caller that continues at {@code position + count} resolves it, one that takes the count
 * as the whole read is a {@code SHORT_TRANSFER} at that file offset when the channel closes. A cut before a hole
 * returns short too, but has no device block to name, so it is not tracked.
 */
final class NowaitFileReads {

    private final FileData data;
    private final ShortTransferTracker tracker;
    private final int blockSize;
    private final long seed;
    private final double unfaultedRate;
    private final AtomicLong requests = new AtomicLong();

    private NowaitFileReads(FileData data, ShortTransferTracker tracker, int blockSize, long seed,
                            double unfaultedRate) {
        this.data = data;
        this.tracker = tracker;
        this.blockSize = blockSize;
        this.seed = seed;
        this.unfaultedRate = unfaultedRate;
    }

    /** The model for a channel on {@code device}'s files, or null when its kernel returns NOWAIT reads whole. */
    static NowaitFileReads on(SimulatedDevice device, FileData data) {
        if (!(device.ioPath() instanceof KernelIoPath k) || k.isDax()
                || k.config().partialDirectRead() != PartialDirectRead.NOWAIT_PARTIAL_FIRST_EXTENT) {
            return null;
        }
        return new NowaitFileReads(data, device.shortTransfers(), device.logicalBlockSize(), device.seed(),
                k.unfaultedBufferRate());
    }

    /** An asynchronous DIRECT read of {@code f} into {@code dst} from file offset {@code pos}, as NOWAIT. */
    CompletableFuture<Integer> read(Inode f, ByteBuffer dst, long pos, IoCaller caller) {
        int rem = dst.remaining();
        long size = f.size();
        if (rem == 0 || pos >= size || misaligned(dst, pos)) {
            // Nothing to cut: the file layer answers (0, end of file, or the alignment error).
            return data.readAsync(f, dst, pos, IoMode.DIRECT, caller);
        }
        int want = (int) Math.min(rem, size - pos);
        int ask = (int) Math.min(rem, (want + blockSize - 1L) / blockSize * blockSize);
        ExtentList map = f.extents();
        int keep = PartialDirectReads.onlyFirstPageFaulted(seed, requests.getAndIncrement(), unfaultedRate)
                ? PartialDirectReads.delivered(pos / blockSize, ask / blockSize, blockSize,
                        (block, limit) -> Math.min(limit, block + map.runFrom(block)))
                : ask;
        String thread = Thread.currentThread().getName();
        int start = dst.position();
        return inPages(f, dst.slice(start, keep), pos, 0, keep, caller).thenApply(done -> {
            int got = Math.min(done, want);
            dst.position(start + got);
            if (done == keep && keep < want) {
                pending(map, pos + keep, want - keep, caller, thread);
            }
            return got;
        });
    }

    private boolean misaligned(ByteBuffer dst, long pos) {
        try {
            DirectAlignment.check(dst, pos, blockSize);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Reads {@code [pos + done, pos + keep)} page by page, stopping at the first short page. */
    private CompletableFuture<Integer> inPages(Inode f, ByteBuffer view, long pos, int done, int keep,
                                               IoCaller caller) {
        if (done >= keep) {
            return CompletableFuture.completedFuture(done);
        }
        int page = Math.min(PartialDirectReads.PAGE_SIZE, keep - done);
        return data.readAsync(f, view.slice(done, page), pos + done, IoMode.DIRECT, caller).thenCompose(n -> {
            int got = Math.max(n, 0);
            return got < page ? CompletableFuture.completedFuture(done + got)
                    : inPages(f, view, pos, done + got, keep, caller);
        });
    }

    /** The caller did not get {@code missing} bytes from file offset {@code at}: pending until it continues there. */
    private void pending(ExtentList map, long at, int missing, IoCaller caller, String thread) {
        long block = map.deviceBlock(at / blockSize);
        if (block < 0 || tracker == null) {
            return;
        }
        tracker.afterRead(caller, thread, block * blockSize + at % blockSize, missing, 0, false, true);
    }
}
