package io.staleguard.junit.internal.fs;

import io.staleguard.device.FileLocation;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.integrity.ProtectionInformation;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.InitialContent;
import io.staleguard.device.oracle.OperationLog;
import io.staleguard.device.oracle.PositionTracker;
import io.staleguard.device.oracle.ViolationRecorder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The verification state of one real file: its history oracle, its operation log and where its violations go.
 *
 * <p>Writes run under the write lock from the moment their bytes reach the file until the oracle knows what
 * landed, and reads under the read lock, so the oracle never sees bytes it was not told about. This serializes
 * I/O per file; the verifying filesystem looks for bugs in the caller's code, not in the host kernel.
 */
final class FileState {

    /** The oracle's address space per file; its state is allocated lazily per block touched. */
    static final long ORACLE_CAPACITY = 1L << 36;

    /** Per-thread room for the covering blocks of a sub-block read, so that such reads allocate nothing. */
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocate(4096));

    private final Path real;
    private final int blockSize;
    private final ProtectionFormat protection;
    private final ViolationRecorder recorder;
    private final OperationLog log = new OperationLog(1024);
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicLong operations;
    private final AtomicLong bytes;
    private volatile HistoryOracle oracle;

    FileState(Path real, int blockSize, ProtectionFormat protection, boolean existed, AtomicLong operations,
              AtomicLong bytes) {
        this.real = real;
        this.blockSize = blockSize;
        this.protection = protection;
        this.recorder = new ViolationRecorder();
        this.operations = operations;
        this.bytes = bytes;
        this.oracle = newOracle(existed);
    }

    private HistoryOracle newOracle(boolean existed) {
        // A file with earlier content (written before we watched, or rewritten by a copy or a truncate) starts
        // from what its first read returns; a new file starts as zeros.
        return new HistoryOracle(blockSize, ORACLE_CAPACITY, recorder, log, null,
                existed ? InitialContent.unknown() : InitialContent.zeros());
    }

    /**
     * Forgets the history, after the file changed behind the oracle's back (truncate, copy, move).
     *
     * @param empty whether the file is now empty (truncated to zero), so that its blocks start as zeros
     */
    void reset(boolean empty) {
        lock.writeLock().lock();
        try {
            oracle = newOracle(!empty);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The position tracker of one channel on this file: its races are this file's violations, at file offsets. */
    PositionTracker positionTracker(String channel) {
        return new PositionTracker(channel, blockSize, recorder, log, () -> oracle.instant());
    }

    /** The lock writes hold; appenders take it to pick their offset and write atomically. */
    java.util.concurrent.locks.Lock writeLock() {
        return lock.writeLock();
    }

    Path real() {
        return real;
    }

    /** The protection computed when a write is submitted: one guard per file-block-aligned chunk. */
    Submission submit(ByteBuffer src, int from, int to, long fileOffset, String thread) {
        long[] guards = null;
        if (protection.enabled()) {
            guards = new long[chunks(fileOffset, to - from)];
            int i = 0;
            for (int p = from; p < to; i++) {
                int len = chunkLength(fileOffset + (p - from), to - p);
                guards[i] = ProtectionInformation.guard(protection, src, p, len);
                p += len;
            }
        }
        // The oracle keeps whole blocks: the write's version covers every block it touches, as it lands.
        long first = fileOffset - fileOffset % blockSize;
        long last = (fileOffset + (to - from) + blockSize - 1) / blockSize * blockSize;
        HistoryOracle o = oracle;
        long id = o.writeSubmitted(first, Math.max(last - first, blockSize), thread);
        return new Submission(o, id, fileOffset, to - from, guards, thread);
    }

    /**
     * Performs a submitted write: takes {@code src[from, to)} as it is now, writes it at the submission's
     * offset, reads it back, verifies it against the submission's guards and tells the oracle what landed.
     *
     * @return bytes written
     */
    int perform(Submission s, FileChannel channel, ByteBuffer src, int from, int to) throws IOException {
        lock.writeLock().lock();
        HistoryOracle o = s.oracle();
        try {
            ByteBuffer data = src.duplicate();
            data.limit(to).position(from);
            int n = 0;
            while (data.hasRemaining()) {
                int w = channel.write(data, s.offset() + n);
                if (w <= 0) {
                    break;
                }
                n += w;
            }
            verifyLanded(s, channel, n);
            land(o, s.id(), channel, s.offset(), n);
            o.writeCompleted(s.id());
            operations.incrementAndGet();
            bytes.addAndGet(n);
            return n;
        } catch (IOException | RuntimeException e) {
            o.writeAbandoned(s.id());
            throw e;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Reads at {@code position} through the oracle; returns the count as {@code FileChannel.read} does. A read
     * is judged on the whole blocks it was served from, as the simulated kernel path judges it: a read smaller
     * than a block, or one ending in the file's partial last block, is otherwise never checked.
     */
    int read(FileChannel channel, ByteBuffer dst, long position, String thread) throws IOException {
        lock.readLock().lock();
        try {
            HistoryOracle o = oracle;
            int asked = dst.remaining();
            if (asked > 0 && (position % blockSize != 0 || asked % blockSize != 0)) {
                return readCovering(o, channel, dst, position, thread);
            }
            int start = dst.position();
            long token = o.readStarted(position, asked, thread);
            int n = channel.read(dst, position);
            if (n > 0) {
                int whole = n - n % blockSize;
                if (whole > 0) {
                    ByteBuffer served = dst.duplicate();
                    served.limit(start + whole).position(start);
                    o.readCompleted(token, position, served, thread);
                }
                if (whole < n) {
                    // A short read of a regular file stops at its end, which reads as zeros in the oracle.
                    ByteBuffer tail = scratch(blockSize);
                    ByteBuffer src = dst.duplicate();
                    src.limit(start + n).position(start + whole);
                    tail.put(src).position(0).limit(blockSize);
                    o.readCompleted(token, position + whole, tail, thread);
                }
                operations.incrementAndGet();
                bytes.addAndGet(n);
            }
            return n;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Reads the blocks covering the asked range, judges them whole, then copies the asked part. */
    private int readCovering(HistoryOracle o, FileChannel channel, ByteBuffer dst, long position, String thread)
            throws IOException {
        int asked = dst.remaining();
        long first = position - position % blockSize;
        long end = (position + asked + blockSize - 1) / blockSize * blockSize;
        int cover = (int) (end - first);
        ByteBuffer blocks = scratch(cover);
        long token = o.readStarted(first, cover, thread);
        readFully(channel, blocks, first);
        int got = blocks.position();
        int skip = (int) (position - first);
        if (got <= skip) {
            return -1;
        }
        // Past the end of the file the blocks read as zeros, as land() told the oracle; scratch() zeroed them.
        blocks.position(0).limit(cover);
        o.readCompleted(token, first, blocks, thread);
        int n = Math.min(asked, got - skip);
        dst.put(blocks.array(), skip, n);
        operations.incrementAndGet();
        bytes.addAndGet(n);
        return n;
    }

    /** This thread's zeroed scratch of {@code length} bytes, position 0, reused across reads. */
    private static ByteBuffer scratch(int length) {
        ByteBuffer b = SCRATCH.get();
        if (b.capacity() < length) {
            b = ByteBuffer.allocate(Math.max(length, b.capacity() * 2));
            SCRATCH.set(b);
        } else {
            java.util.Arrays.fill(b.array(), 0, length, (byte) 0);
        }
        b.clear().limit(length);
        return b;
    }

    private void verifyLanded(Submission s, FileChannel channel, int written) throws IOException {
        if (s.guards() == null || written == 0) {
            return;
        }
        ByteBuffer back = ByteBuffer.allocate(written);
        readFully(channel, back, s.offset());
        back.flip();
        int i = 0;
        for (int p = 0; p < back.limit(); i++) {
            int len = chunkLength(s.offset() + p, back.limit() - p);
            long actual = ProtectionInformation.guard(protection, back, p, len);
            if (actual != s.guards()[i]) {
                long at = s.offset() + p;
                recorder.record(Violation.of(ViolationKind.GUARD_TAG).at(at, len, at / blockSize)
                        .saw("0x" + Long.toHexString(s.guards()[i]), "0x" + Long.toHexString(actual))
                        .by(s.thread(), List.of())
                        .detail("the data that landed in " + real.getFileName() + " at " + at + " does not "
                                + "match the guard computed when the write was submitted: the buffer changed after "
                                + "submission and before the write took it (write v" + s.id() + ")")
                        .timeline(log.around(at, len, 32)).build());
            }
            p += len;
        }
    }

    /** Tells the oracle the content of every block the write touched, as the file now holds it. */
    private void land(HistoryOracle o, long id, FileChannel channel, long offset, int n) throws IOException {
        if (n == 0) {
            return;
        }
        long first = offset - offset % blockSize;
        long end = offset + n;
        long last = (end + blockSize - 1) / blockSize * blockSize;
        ByteBuffer blocks = ByteBuffer.allocate((int) (last - first));
        readFully(channel, blocks, first);
        // Bytes past the end of the file read as zeros once it grows.
        blocks.position(0).limit(blocks.capacity());
        o.writeLanded(id, first, blocks);
    }

    private static void readFully(FileChannel channel, ByteBuffer dst, long position) throws IOException {
        long p = position;
        while (dst.hasRemaining()) {
            int r = channel.read(dst, p);
            if (r <= 0) {
                break;
            }
            p += r;
        }
    }

    private int chunks(long fileOffset, int length) {
        int n = 0;
        for (long p = fileOffset, end = fileOffset + length; p < end; n++) {
            p += chunkLength(p, end - p);
        }
        return n;
    }

    private int chunkLength(long fileOffset, long remaining) {
        return (int) Math.min(remaining, blockSize - fileOffset % blockSize);
    }

    /**
     * Violations of this file, each located in it ({@link Violation#location()}: the host path and the offset in
     * the file, which on this filesystem is the violation's offset), its detail ending in the file's name as on
     * the simulated filesystem.
     */
    List<Violation> violations() {
        List<Violation> out = new ArrayList<>();
        for (Violation v : recorder.all()) {
            out.add(v.location() != null ? v : v.locatedAt(new FileLocation(real.toString(), v.offset())));
        }
        return out;
    }

    /** Exact counts of this file's violations. */
    java.util.Map<ViolationKind, Long> counts() {
        return recorder.counts();
    }

    /**
     * A write as submitted.
     *
     * @param oracle  the oracle that numbered it (a reset between submission and landing leaves it there)
     * @param id      the oracle's write id
     * @param offset  file offset
     * @param length  bytes
     * @param guards  the guard of each chunk, or null without protection
     * @param thread  the submitting thread
     */
    record Submission(HistoryOracle oracle, long id, long offset, int length, long[] guards, String thread) {
    }
}
