package io.staleguard.device.fs.internal;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * A file's bytes as device calls: maps a file range through the file's {@link ExtentList} and issues one device
 * call per extent, in the caller's mode and as the caller, so that the device's PI, oracle and short-transfer
 * tracker judge each one. Holes read as zeros without a device call. A short device transfer ends the file call
 * with a short count, as Linux's {@code read} and {@code write} return it.
 *
 * <p>This is the one place where file offsets become device offsets. On a kernel path the device serves these calls
 * from the file's own page cache, which {@link FileBlocks} tells of every block it maps and frees. Which
 * blocks a file owns is {@link FileBlocks}' job.
 */
public final class FileData {

    private final BlockDevice device;
    private final int blockSize;
    private final FileBlocks blocks;
    /** One block image per writing thread, for {@link #writeWholeBlock}: no allocation per write. */
    private final ThreadLocal<ByteBuffer> edgeBlock;
    /** Read once per file write: with {@link PersistenceEvents#NONE} nothing else is done for the listener. */
    private volatile PersistenceEvents events = PersistenceEvents.NONE;
    /** The current path of an inode, for the listener. */
    private volatile Function<Inode, String> namer = f -> "inode " + f.number();

    /** File data on {@code device}'s blocks, handed out by {@code allocator}. */
    public FileData(BlockDevice device, ExtentAllocator allocator) {
        this.device = device;
        this.blockSize = device.logicalBlockSize();
        this.blocks = new FileBlocks(device, allocator);
        int bs = blockSize;
        this.edgeBlock = ThreadLocal.withInitial(() -> ByteBuffer.allocate(bs));
    }

    /** Reads into {@code dst} from file offset {@code pos}: the count, 0 for a full buffer, -1 at end of file. */
    public int read(Inode f, ByteBuffer dst, long pos, IoMode mode, IoCaller caller) throws IOException {
        if (mode == IoMode.DIRECT) {
            DirectAlignment.check(dst, pos, blockSize);
        }
        int rem = dst.remaining();
        if (rem == 0) {
            return 0;
        }
        long size = f.size();
        if (pos >= size) {
            return -1;
        }
        int want = (int) Math.min(rem, size - pos);
        int ask = ask(rem, want, mode);
        int start = dst.position();
        int done = readPieces(f.extents(), dst, pos, ask, mode, caller);
        if (done > want) {
            dst.position(start + want);
            done = want;
        }
        return done;
    }

    /** A scattering read: buffer after buffer, stopping at the first short one. */
    public long read(Inode f, ByteBuffer[] dsts, long pos, IoMode mode, IoCaller caller) throws IOException {
        if (mode == IoMode.DIRECT) {
            DirectAlignment.check(dsts, pos, blockSize);
        }
        long total = 0;
        boolean any = false;
        for (ByteBuffer b : dsts) {
            if (!b.hasRemaining()) {
                continue;
            }
            any = true;
            int n = read(f, b, pos + total, mode, caller);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
            if (b.hasRemaining()) {
                break;
            }
        }
        return any ? total : 0;
    }

    /** Writes {@code src}'s remaining bytes at file offset {@code pos}: the count, which may be short. */
    public int write(Inode f, ByteBuffer src, long pos, IoMode mode, IoCaller caller) throws IOException {
        if (mode == IoMode.DIRECT) {
            DirectAlignment.check(src, pos, blockSize);
        }
        int len = src.remaining();
        if (len == 0) {
            return 0;
        }
        PersistenceEvents ev = events;
        long sizeBefore = ev == PersistenceEvents.NONE ? 0 : f.size();
        FileBlocks.Fresh fresh = blocks.allocate(f, pos, len, mode == IoMode.BUFFERED);
        int done = fresh == null || !(fresh.headLeft() || fresh.tailLeft())
                ? writePieces(f.extents(), src, pos, len, mode, caller)
                : writeWithWholeEdges(f.extents(), src, pos, len, fresh, caller);
        written(f, pos, len, done, fresh == null ? null : fresh.ranges());
        if (ev != PersistenceEvents.NONE && done > 0) {
            ByteBuffer landed = src.duplicate();
            landed.position(src.position() - done).limit(src.position());
            ev.wrote(f.number(), namer.apply(f), pos, landed, runs(f.extents(), pos, done), fresh != null, sizeBefore,
                    f.size(), mode, Thread.currentThread().getName());
        }
        return done;
    }

    /** Where the listener's events go; {@link PersistenceEvents#NONE} to stop. */
    void events(PersistenceEvents listener) {
        events = listener == null ? PersistenceEvents.NONE : listener;
    }

    /** The listener of file writes now. */
    PersistenceEvents events() {
        return events;
    }

    /** How the listener's events name an inode. */
    void namer(Function<Inode, String> names) {
        namer = names;
    }

    /** {@code f}'s current path, as the listener's events give it. */
    String pathOf(Inode f) {
        return namer.apply(f);
    }

    /** The {@code (deviceOffset, length)} pairs file range {@code [pos, pos + len)} lies on; holes are skipped. */
    private long[] runs(ExtentList map, long pos, long len) {
        long[] out = new long[4];
        int n = 0;
        long done = 0;
        while (done < len) {
            long at = pos + done;
            int i = map.find(at / blockSize);
            long piece = Math.min(len - done, map.bytesFrom(at, blockSize));
            if (i >= 0) {
                long dev = map.deviceOffset(i, at, blockSize);
                if (n >= 2 && out[n - 2] + out[n - 1] == dev) {
                    out[n - 1] += piece;
                } else {
                    if (n == out.length) {
                        out = java.util.Arrays.copyOf(out, n * 2);
                    }
                    out[n++] = dev;
                    out[n++] = piece;
                }
            }
            done += piece;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * A buffered write whose first or last block is new and past the end of the file: that block goes to the
     * device whole, the caller's bytes with zeros around them, in one call (see
     * {@link FileBlocks#allocate(Inode, long, int, boolean)}); the blocks between come from {@code src} itself.
     */
    private int writeWithWholeEdges(ExtentList map, ByteBuffer src, long pos, int len, FileBlocks.Fresh fresh,
                                    IoCaller caller) throws IOException {
        long end = pos + len;
        long headEnd = Math.min(end, (pos / blockSize + 1) * blockSize);
        long tailStart = Math.max(headEnd, end / blockSize * blockSize);
        int done = 0;
        if (fresh.headLeft()) {
            int n = writeWholeBlock(map, src, pos, (int) (headEnd - pos), caller);
            done += n;
            if (n < headEnd - pos) {
                return done;
            }
        }
        long middleEnd = fresh.tailLeft() ? tailStart : end;
        if (pos + done < middleEnd) {
            int want = (int) (middleEnd - pos - done);
            int n = writePieces(map, src, pos + done, want, IoMode.BUFFERED, caller);
            done += n;
            if (n < want) {
                return done;
            }
        }
        if (fresh.tailLeft() && pos + done < end) {
            done += writeWholeBlock(map, src, pos + done, (int) (end - pos - done), caller);
        }
        return done;
    }

    /** Writes the block under file offset {@code at} whole: zeros, {@code n} bytes of {@code src}, zeros. */
    private int writeWholeBlock(ExtentList map, ByteBuffer src, long at, int n, IoCaller caller) throws IOException {
        int head = (int) (at % blockSize);
        ByteBuffer block = edgeBlock.get();
        block.clear();
        FileBlocks.putZeros(block, head);
        int limit = src.limit();
        src.limit(src.position() + n);
        block.put(src);
        src.limit(limit);
        FileBlocks.putZeros(block, block.remaining());
        block.flip();
        long blockStart = at - head;
        int w = Math.max(0, device.write(block, map.deviceOffset(map.find(blockStart / blockSize), blockStart,
                blockSize), IoMode.BUFFERED, caller));
        if (w < head) {
            // Stopped inside the leading zeros: the rest of them still hides what a deleted file left there.
            blocks.zero(map.deviceOffset(map.find(blockStart / blockSize), blockStart + w, blockSize), head - w);
        }
        if (w >= head + n && w < blockSize) {
            // Stopped inside the trailing zeros, after all of the caller's bytes: the write is whole for the caller.
            blocks.zero(map.deviceOffset(map.find(blockStart / blockSize), blockStart + w, blockSize), blockSize - w);
        }
        int mine = Math.max(0, Math.min(n, w - head));
        src.position(src.position() - n + mine);
        return mine;
    }

    /** A gathering write: buffer after buffer, stopping at the first short one. */
    public long write(Inode f, ByteBuffer[] srcs, long pos, IoMode mode, IoCaller caller) throws IOException {
        if (mode == IoMode.DIRECT) {
            DirectAlignment.check(srcs, pos, blockSize);
        }
        long total = 0;
        for (ByteBuffer b : srcs) {
            if (!b.hasRemaining()) {
                continue;
            }
            total += write(f, b, pos + total, mode, caller);
            if (b.hasRemaining()) {
                break;
            }
        }
        return total;
    }

    /**
     * Submits a read. One extent is one asynchronous device call on {@code dst} itself; a range over several
     * extents or holes is read piece after piece, each piece submitted when the one before completed in full.
     */
    public CompletableFuture<Integer> readAsync(Inode f, ByteBuffer dst, long pos, IoMode mode, IoCaller caller) {
        try {
            if (mode == IoMode.DIRECT) {
                DirectAlignment.check(dst, pos, blockSize);
            }
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        int rem = dst.remaining();
        if (rem == 0) {
            return CompletableFuture.completedFuture(0);
        }
        long size = f.size();
        if (pos >= size) {
            return CompletableFuture.completedFuture(-1);
        }
        int want = (int) Math.min(rem, size - pos);
        int ask = ask(rem, want, mode);
        ExtentList map = f.extents();
        int i = map.find(pos / blockSize);
        if (i >= 0 && ask == rem && ask == want && map.bytesFrom(pos, blockSize) >= ask) {
            return device.readAsync(dst, map.deviceOffset(i, pos, blockSize), mode, caller);
        }
        int start = dst.position();
        ByteBuffer view = dst.slice(start, ask);
        return readPiecesAsync(map, view, pos, ask, 0, mode, caller).thenApply(done -> {
            int n = Math.min(done, want);
            dst.position(start + n);
            return n;
        });
    }

    /**
     * Submits a write. Blocks are allocated now, on the caller's thread; PI is computed by the device at its own
     * submission, from the buffer as it is then. One extent is one asynchronous device call on {@code src}.
     */
    public CompletableFuture<Integer> writeAsync(Inode f, ByteBuffer src, long pos, IoMode mode, IoCaller caller) {
        long[] fresh;
        int len = src.remaining();
        try {
            if (mode == IoMode.DIRECT) {
                DirectAlignment.check(src, pos, blockSize);
            }
            if (len == 0) {
                return CompletableFuture.completedFuture(0);
            }
            fresh = blocks.allocate(f, pos, len);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        ExtentList map = f.extents();
        PersistenceEvents ev = events;
        if (ev != PersistenceEvents.NONE) {
            // At submission: the device takes the bytes (and their PI) from the buffer as it is now.
            long sizeBefore = f.size();
            ByteBuffer submitted = src.duplicate();
            submitted.limit(src.position() + len);
            ev.wrote(f.number(), namer.apply(f), pos, submitted, runs(map, pos, len), fresh != null, sizeBefore,
                    Math.max(sizeBefore, pos + len), mode, Thread.currentThread().getName());
        }
        CompletableFuture<Integer> io;
        if (map.bytesFrom(pos, blockSize) >= len) {
            io = device.writeAsync(src, map.deviceOffset(map.find(pos / blockSize), pos, blockSize), mode, caller);
        } else {
            int start = src.position();
            ByteBuffer view = src.slice(start, len);
            io = writePiecesAsync(map, view, pos, len, 0, mode, caller).thenApply(done -> {
                src.position(start + done);
                return done;
            });
        }
        return io.thenApply(done -> {
            try {
                written(f, pos, len, done, fresh);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
            return done;
        });
    }

    /** Whether the device's kernel path keeps a page cache per file. */
    public boolean cachesFiles() {
        return blocks.cachesFiles();
    }

    /** Cuts the file to {@code newSize} bytes. */
    public void truncate(Inode f, long newSize) throws IOException {
        blocks.truncate(f, newSize);
    }

    /** Gives all the file's blocks back. */
    public void release(Inode f) {
        blocks.release(f);
    }

    /** The inode's namespace is gone (a restore): its page cache goes, its blocks are not freed here. */
    void forget(Inode f) {
        blocks.forget(f);
    }

    /** A restored inode: the kernel learns of every block it maps, as if each had been allocated now. */
    void adopt(Inode f) {
        blocks.adopt(f);
    }

    /** O_DIRECT reads the whole last block and reports only the bytes inside the file. */
    private int ask(int remaining, int want, IoMode mode) {
        return mode == IoMode.DIRECT ? (int) Math.min(remaining, (want + blockSize - 1L) / blockSize * blockSize) : want;
    }

    private void written(Inode f, long pos, int len, int done, long[] fresh) throws IOException {
        if (done < len) {
            try {
                blocks.shortWrite(f, pos + done, fresh);
            } catch (IOException e) {
                if (done == 0) {
                    throw e;
                }
                // The device failed the filesystem's own zeroing of the rest (ENOSPC, EIO): the bytes that landed
                // are the file's all the same, and the call returns their count, as write(2) returns a partial
                // count; the caller's next write there meets the error itself.
            }
        }
        f.written(pos + done);
    }

    private int readPieces(ExtentList map, ByteBuffer dst, long pos, int ask, IoMode mode, IoCaller caller)
            throws IOException {
        int limit = dst.limit();
        int done = 0;
        try {
            while (done < ask) {
                long at = pos + done;
                int i = map.find(at / blockSize);
                int piece = (int) Math.min(ask - done, map.bytesFrom(at, blockSize));
                if (i < 0) {
                    FileBlocks.putZeros(dst, piece);
                    done += piece;
                    continue;
                }
                dst.limit(dst.position() + piece);
                int n = device.read(dst, map.deviceOffset(i, at, blockSize), mode, caller);
                dst.limit(limit);
                if (n > 0) {
                    done += n;
                }
                if (n < piece) {
                    break;
                }
            }
        } finally {
            dst.limit(limit);
        }
        return done;
    }

    private int writePieces(ExtentList map, ByteBuffer src, long pos, int len, IoMode mode, IoCaller caller)
            throws IOException {
        int limit = src.limit();
        int done = 0;
        try {
            while (done < len) {
                long at = pos + done;
                int i = map.find(at / blockSize);
                int piece = (int) Math.min(len - done, map.bytesFrom(at, blockSize));
                src.limit(src.position() + piece);
                int n = device.write(src, map.deviceOffset(i, at, blockSize), mode, caller);
                src.limit(limit);
                done += Math.max(n, 0);
                if (n < piece) {
                    break;
                }
            }
        } finally {
            src.limit(limit);
        }
        return done;
    }

    private CompletableFuture<Integer> readPiecesAsync(ExtentList map, ByteBuffer view, long pos, int ask, int done,
                                                       IoMode mode, IoCaller caller) {
        int at0 = done;
        while (at0 < ask) {
            long at = pos + at0;
            int i = map.find(at / blockSize);
            int piece = (int) Math.min(ask - at0, map.bytesFrom(at, blockSize));
            if (i < 0) {
                FileBlocks.putZeros(view, piece);
                at0 += piece;
                continue;
            }
            int before = at0;
            ByteBuffer part = view.slice(view.position(), piece);
            return device.readAsync(part, map.deviceOffset(i, at, blockSize), mode, caller).thenCompose(n -> {
                int got = Math.max(n, 0);
                view.position(view.position() + got);
                return got < piece ? CompletableFuture.completedFuture(before + got)
                        : readPiecesAsync(map, view, pos, ask, before + got, mode, caller);
            });
        }
        return CompletableFuture.completedFuture(at0);
    }

    private CompletableFuture<Integer> writePiecesAsync(ExtentList map, ByteBuffer view, long pos, int len, int done,
                                                        IoMode mode, IoCaller caller) {
        if (done >= len) {
            return CompletableFuture.completedFuture(done);
        }
        long at = pos + done;
        int i = map.find(at / blockSize);
        int piece = (int) Math.min(len - done, map.bytesFrom(at, blockSize));
        ByteBuffer part = view.slice(view.position(), piece);
        return device.writeAsync(part, map.deviceOffset(i, at, blockSize), mode, caller).thenCompose(n -> {
            int got = Math.max(n, 0);
            view.position(view.position() + got);
            return got < piece ? CompletableFuture.completedFuture(done + got)
                    : writePiecesAsync(map, view, pos, len, done + got, mode, caller);
        });
    }
}
