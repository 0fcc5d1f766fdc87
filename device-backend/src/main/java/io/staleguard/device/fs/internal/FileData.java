package io.staleguard.device.fs.internal;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.IoCaller;
import io.staleguard.device.IoMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A file's bytes as device calls: maps a file range through the file's {@link ExtentList} and issues one device
 * call per extent, in the caller's mode and as the caller, so that the device's PI, oracle and short-transfer
 * tracker judge each one. Holes read as zeros without a device call. A short device transfer ends the file call
 * with a short count, as Linux's {@code read} and {@code write} return it.
 *
 * <p>Blocks are allocated when a write first reaches them. The parts of a new block that the write does not cover
 * are zeroed on the device first, so a file never shows what a deleted file left there. This is the one place
 * where file offsets become device offsets; a per-file page cache replaces it.
 */
public final class FileData {

    private static final byte[] ZEROS = new byte[64 << 10];

    private final BlockDevice device;
    private final int blockSize;
    private final ExtentAllocator allocator;
    private final IoCaller zeroFill = IoCaller.newCaller("simulated filesystem (zeroing new blocks)", true);

    /** File data on {@code device}'s blocks, handed out by {@code allocator}. */
    public FileData(BlockDevice device, ExtentAllocator allocator) {
        this.device = device;
        this.blockSize = device.logicalBlockSize();
        this.allocator = allocator;
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
        // O_DIRECT reads the whole last block and reports only the bytes inside the file.
        int ask = mode == IoMode.DIRECT ? (int) Math.min(rem, roundUp(want)) : want;
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
        long[] fresh = allocate(f, pos, len);
        int done = writePieces(f.extents(), src, pos, len, mode, caller);
        finishWrite(f, pos, len, done, fresh);
        return done;
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
        int ask = mode == IoMode.DIRECT ? (int) Math.min(rem, roundUp(want)) : want;
        ExtentList map = f.extents();
        long block = pos / blockSize;
        int i = map.find(block);
        if (i >= 0 && ask == rem && runBytes(map, pos) >= ask && ask == want) {
            return device.readAsync(dst, deviceOffset(map, i, pos), mode, caller);
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
            fresh = allocate(f, pos, len);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        ExtentList map = f.extents();
        CompletableFuture<Integer> io;
        if (runBytes(map, pos) >= len) {
            io = device.writeAsync(src, deviceOffset(map, map.find(pos / blockSize), pos), mode, caller);
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
                finishWrite(f, pos, len, done, fresh);
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
            return done;
        });
    }

    /** Cuts the file to {@code newSize} bytes: frees the blocks past it and zeroes the tail of its last block. */
    public void truncate(Inode f, long newSize) throws IOException {
        synchronized (f.dataLock()) {
            if (newSize >= f.size()) {
                return;
            }
            long keep = (newSize + blockSize - 1) / blockSize;
            int tail = (int) (newSize % blockSize);
            ExtentList map = f.extents();
            if (tail != 0) {
                long dev = map.deviceBlock(newSize / blockSize);
                if (dev >= 0) {
                    zero(dev * blockSize + tail, blockSize - tail);
                }
            }
            f.extents(map.truncatedTo(keep, allocator::free));
            f.size(newSize);
            f.touch();
        }
    }

    /** Gives all the file's blocks back, when its last name and its last channel are gone. */
    public void release(Inode f) {
        synchronized (f.dataLock()) {
            f.extents(f.extents().truncatedTo(0, allocator::free));
        }
    }

    private int readPieces(ExtentList map, ByteBuffer dst, long pos, int ask, IoMode mode, IoCaller caller)
            throws IOException {
        int limit = dst.limit();
        int done = 0;
        try {
            while (done < ask) {
                long at = pos + done;
                int i = map.find(at / blockSize);
                int piece = (int) Math.min(ask - done, runBytes(map, at));
                if (i < 0) {
                    putZeros(dst, piece);
                    done += piece;
                    continue;
                }
                dst.limit(dst.position() + piece);
                int n = device.read(dst, deviceOffset(map, i, at), mode, caller);
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
                int piece = (int) Math.min(len - done, runBytes(map, at));
                src.limit(src.position() + piece);
                int n = device.write(src, deviceOffset(map, i, at), mode, caller);
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
        while (done < ask) {
            long at = pos + done;
            int i = map.find(at / blockSize);
            int piece = (int) Math.min(ask - done, runBytes(map, at));
            if (i < 0) {
                putZeros(view, piece);
                done += piece;
                continue;
            }
            int before = done;
            ByteBuffer part = view.slice(view.position(), piece);
            return device.readAsync(part, deviceOffset(map, i, at), mode, caller).thenCompose(n -> {
                int got = Math.max(n, 0);
                view.position(view.position() + got);
                return got < piece ? CompletableFuture.completedFuture(before + got)
                        : readPiecesAsync(map, view, pos, ask, before + got, mode, caller);
            });
        }
        return CompletableFuture.completedFuture(done);
    }

    private CompletableFuture<Integer> writePiecesAsync(ExtentList map, ByteBuffer view, long pos, int len, int done,
                                                        IoMode mode, IoCaller caller) {
        if (done >= len) {
            return CompletableFuture.completedFuture(done);
        }
        long at = pos + done;
        int i = map.find(at / blockSize);
        int piece = (int) Math.min(len - done, runBytes(map, at));
        ByteBuffer part = view.slice(view.position(), piece);
        return device.writeAsync(part, deviceOffset(map, i, at), mode, caller).thenCompose(n -> {
            int got = Math.max(n, 0);
            view.position(view.position() + got);
            return got < piece ? CompletableFuture.completedFuture(done + got)
                    : writePiecesAsync(map, view, pos, len, done + got, mode, caller);
        });
    }

    /**
     * Maps every hole under {@code [pos, pos + len)} to new blocks, zeroes what the write leaves uncovered in
     * them, then publishes the new map. Returns the new device-block ranges as pairs, or null if none were needed.
     */
    private long[] allocate(Inode f, long pos, int len) throws IOException {
        long first = pos / blockSize;
        long last = (pos + len - 1) / blockSize;
        ExtentList map = f.extents();
        if (map.find(first) >= 0 && map.runFrom(first) > last - first) {
            return null;
        }
        synchronized (f.dataLock()) {
            map = f.extents();
            long holes = 0;
            for (long b = first; b <= last; ) {
                long run = Math.min(map.runFrom(b), last - b + 1);
                if (map.find(b) < 0) {
                    holes += run;
                }
                b += run;
            }
            if (holes == 0) {
                return null;
            }
            allocator.reserveCheck(holes);
            long[] fresh = new long[0];
            ExtentList next = map;
            for (long b = first; b <= last; ) {
                long run = Math.min(map.runFrom(b), last - b + 1);
                if (map.find(b) < 0) {
                    long filled = 0;
                    while (filled < run) {
                        long goal = b + filled > 0 ? next.deviceBlock(b + filled - 1) + 1 : -1;
                        long[] got = allocator.allocate(run - filled, goal > 0 ? goal : -1);
                        next = next.with(b + filled, got[0], got[1]);
                        fresh = append(fresh, b + filled, got[1]);
                        filled += got[1];
                    }
                }
                b += run;
            }
            zeroUncovered(next, fresh, pos, pos + len);
            f.extents(next);
            return fresh;
        }
    }

    /** Zeroes the parts of the new blocks {@code fresh} (file block, count pairs) outside {@code [from, to)}. */
    private void zeroUncovered(ExtentList map, long[] fresh, long from, long to) throws IOException {
        for (int k = 0; k < fresh.length; k += 2) {
            long start = fresh[k] * blockSize;
            long end = (fresh[k] + fresh[k + 1]) * blockSize;
            if (start < from) {
                zeroFile(map, start, Math.min(from, end) - start);
            }
            if (end > to) {
                long s = Math.max(start, to);
                zeroFile(map, s, end - s);
            }
        }
    }

    private void finishWrite(Inode f, long pos, int len, int done, long[] fresh) throws IOException {
        if (done < len && fresh != null) {
            // A short write left new blocks partly unwritten: they must read as zeros when the file grows over them.
            synchronized (f.dataLock()) {
                zeroUncovered(f.extents(), fresh, Long.MIN_VALUE / 2, pos + done);
            }
        }
        f.written(pos + done);
    }

    private void zeroFile(ExtentList map, long fileOffset, long length) throws IOException {
        long done = 0;
        while (done < length) {
            long at = fileOffset + done;
            int i = map.find(at / blockSize);
            long piece = Math.min(length - done, runBytes(map, at));
            if (i >= 0) {
                zero(deviceOffset(map, i, at), piece);
            }
            done += piece;
        }
    }

    private void zero(long deviceOffset, long length) throws IOException {
        long done = 0;
        while (done < length) {
            ByteBuffer z = ByteBuffer.wrap(ZEROS, 0, (int) Math.min(ZEROS.length, length - done));
            while (z.hasRemaining()) {
                int n = device.write(z, deviceOffset + done + z.position(), IoMode.BUFFERED, zeroFill);
                if (n <= 0) {
                    throw new IOException("the device wrote nothing while zeroing new blocks at " + (deviceOffset + done));
                }
            }
            done += z.limit();
        }
    }

    private static long[] append(long[] a, long block, long count) {
        long[] r = java.util.Arrays.copyOf(a, a.length + 2);
        r[a.length] = block;
        r[a.length + 1] = count;
        return r;
    }

    private static void putZeros(ByteBuffer dst, int n) {
        int left = n;
        while (left > 0) {
            int k = Math.min(left, ZEROS.length);
            dst.put(ZEROS, 0, k);
            left -= k;
        }
    }

    /** Bytes from file offset {@code at} to the end of its extent or hole. */
    private long runBytes(ExtentList map, long at) {
        long run = map.runFrom(at / blockSize);
        long inBlock = at % blockSize;
        return run >= Long.MAX_VALUE / blockSize ? Long.MAX_VALUE : run * blockSize - inBlock;
    }

    private long deviceOffset(ExtentList map, int i, long at) {
        long block = at / blockSize;
        return (map.deviceBlockAt(i) + block - map.fileBlockAt(i)) * blockSize + at % blockSize;
    }

    private long roundUp(long v) {
        return (v + blockSize - 1) / blockSize * blockSize;
    }
}
