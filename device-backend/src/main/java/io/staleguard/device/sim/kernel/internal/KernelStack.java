package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.TimelineEvent.Type;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.integrity.PiStore;
import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.integrity.ProtectionInformation;
import io.staleguard.device.integrity.TagMismatch;
import io.staleguard.device.oracle.HistoryOracle;
import io.staleguard.device.oracle.OperationLog;
import io.staleguard.device.oracle.ShortTransferTracker;
import io.staleguard.device.oracle.ViolationRecorder;
import io.staleguard.device.sim.kernel.KernelConfig;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The simulated Linux I/O stack in front of a block device's media: page cache (uptodate, dirty,
 * writeback, locked pages and their user mapping), direct I/O with invalidation, writeback with
 * protection information, and the hooks to the detectors.
 *
 * <p>Detection is never simulated: protection information is generated with
 * {@link ProtectionInformation#generate} when writeback or a direct write submits its data and
 * verified with {@link ProtectionInformation#verify} against the bytes the device takes at DMA; the
 * {@link HistoryOracle} is told about every version and classifies every byte handed to a reader,
 * whether it came from the media, the page cache or a mapping; short transfers go through the
 * {@link ShortTransferTracker}.
 *
 * <p>Not thread safe: one {@link Sim} drives it.
 */
public final class KernelStack {

    public final KernelConfig config;
    public final int blockSize;
    public final int pageSize;
    public final long capacity;
    public final byte[] media;
    public final ProtectionFormat format;
    public final PiStore piStore;
    public final ViolationRecorder recorder;
    public final OperationLog opLog;
    public final HistoryOracle oracle;
    public final ShortTransferTracker tracker;
    private final Sim sim;
    private final Page[] pages;
    private int nrpages;
    private final byte[] tuples;

    public KernelStack(KernelConfig config, Sim sim, int blockSize, int pageSize, long capacity) {
        if (pageSize % blockSize != 0) {
            throw new IllegalArgumentException("page size " + pageSize + " is not a multiple of the block size "
                    + blockSize);
        }
        this.config = config;
        this.sim = sim;
        this.blockSize = blockSize;
        this.pageSize = pageSize;
        this.capacity = capacity;
        this.media = new byte[Math.toIntExact(capacity)];
        this.format = ProtectionFormat.T10_DIF_TYPE1;
        this.piStore = PiStore.forFormat(format, capacity / blockSize);
        this.recorder = new ViolationRecorder(64);
        this.opLog = new OperationLog(256);
        this.opLog.setEnabled(false);
        this.oracle = new HistoryOracle(blockSize, capacity, recorder, opLog, sim::now);
        this.tracker = new ShortTransferTracker(blockSize, recorder, opLog,
                (off, dst) -> {
                    int n = (int) Math.min(dst.remaining(), Math.max(0, capacity - off));
                    dst.put(media, (int) off, n);
                    while (dst.hasRemaining()) {
                        dst.put((byte) 0);
                    }
                });
        this.pages = new Page[Math.toIntExact(capacity / pageSize)];
        this.tuples = new byte[(pageSize / blockSize) * format.tupleSize()];
    }

    // ---------------------------------------------------------------- page cache

    /** Number of pages in the file. */
    public int pageCount() {
        return pages.length;
    }

    /** The cached page at {@code index}, or null. */
    public Page page(long index) {
        return pages[(int) index];
    }

    /** Number of cached pages ({@code mapping->nrpages}). */
    public int nrpages() {
        return nrpages;
    }

    /** Whether any page of {@code [first, first + count)} is locked (an invalidation would wait). */
    public boolean anyLocked(long first, long count) {
        long end = Math.min(pages.length, first + count);
        for (long i = Math.max(0, first); i < end; i++) {
            Page p = pages[(int) i];
            if (p != null && p.locked) {
                return true;
            }
        }
        return false;
    }

    /** Whether any page of the range is under writeback. */
    public boolean anyWriteback(long first, long count) {
        long end = Math.min(pages.length, first + count);
        for (long i = Math.max(0, first); i < end; i++) {
            Page p = pages[(int) i];
            if (p != null && p.writeback) {
                return true;
            }
        }
        return false;
    }

    /** Inserts a locked, not-uptodate page owned by read-ahead request {@code owner}. */
    public Page insertLocked(long index, long owner) {
        Page p = new Page(index, pageSize);
        p.locked = true;
        p.lockOwner = owner;
        pages[(int) index] = p;
        nrpages++;
        return p;
    }

    /** Returns the uptodate page at {@code index}, reading it from the media synchronously if absent. */
    public Page readPage(long index) {
        Page p = pages[(int) index];
        if (p == null) {
            p = new Page(index, pageSize);
            System.arraycopy(media, (int) (index * pageSize), p.data, 0, pageSize);
            p.uptodate = true;
            pages[(int) index] = p;
            nrpages++;
        }
        return p;
    }

    /** Completes a read I/O into a locked page: fills it from the media, marks it uptodate, unlocks it. */
    public void fillFromMedia(Page p) {
        System.arraycopy(media, (int) (p.index * pageSize), p.data, 0, pageSize);
        p.uptodate = true;
        p.locked = false;
        p.lockOwner = 0;
    }

    /**
     * {@code invalidate_inode_pages2_range} over the pages covering bytes {@code [offset, offset+length)}:
     * unmaps and drops every cached page. The caller checked {@link #anyLocked} first (the kernel
     * waits on the page lock). A dirty page is written back first ({@code filemap_write_and_wait_range}
     * precedes every invalidation of a direct write).
     *
     * @param why     the reason, for the timeline; {@code %v} is replaced by {@code v<version>} (the
     *                string is only built when the timeline is captured)
     * @return the number of pages dropped
     */
    public int invalidate(long offset, long length, String thread, String why, long version) {
        long first = offset / pageSize;
        long last = (offset + length - 1) / pageSize;
        int dropped = 0;
        for (long i = first; i <= last && i < pages.length; i++) {
            Page p = pages[(int) i];
            if (p == null) {
                continue;
            }
            if (p.dirty) {
                writePageSynchronously(p, thread);
            }
            pages[(int) i] = null;
            nrpages--;
            dropped++;
        }
        if (sim.capturing()) {
            sim.event(thread, Type.INVALIDATE, first * pageSize, (last - first + 1) * pageSize, 0,
                    why.replace("%v", "v" + version) + ": dropped " + dropped + " cached page(s)");
        }
        return dropped;
    }

    private void writePageSynchronously(Page p, String thread) {
        long off = p.index * pageSize;
        byte[] t = generatePi(p.data, 0, off);
        land(p.data, 0, off, pageSize, t, thread, 0);
        p.dirty = false;
    }

    // ---------------------------------------------------------------- media, PI

    /**
     * Generates the PI tuples of {@code src[srcOff, srcOff + pageSize)} for the blocks starting at
     * device offset {@code offset} (the DIX generation at submission); returns a fresh array.
     */
    public byte[] generatePi(byte[] src, int srcOff, long offset) {
        return generatePi(src, srcOff, offset, pageSize);
    }

    /** Generates PI for {@code length} bytes (a multiple of the block size). */
    public byte[] generatePi(byte[] src, int srcOff, long offset, int length) {
        byte[] t = new byte[(length / blockSize) * format.tupleSize()];
        ProtectionInformation.generate(format, ByteBuffer.wrap(src, srcOff, length), blockSize, offset / blockSize,
                0, 0, t, 0);
        return t;
    }

    /**
     * The simulated DMA: the device takes {@code length} bytes from {@code src} as they are now,
     * verifies them against the tuples computed at submission, and stores data and tuples.
     *
     * @return the mismatch found, or null
     */
    public TagMismatch land(byte[] src, int srcOff, long offset, int length, byte[] submittedTuples, String thread,
                            long version) {
        ByteBuffer data = ByteBuffer.wrap(src, srcOff, length);
        TagMismatch m = ProtectionInformation.verify(format, data, blockSize, offset / blockSize, 0,
                submittedTuples, 0, 0, 0);
        System.arraycopy(src, srcOff, media, (int) offset, length);
        piStore.put(offset / blockSize, submittedTuples, 0, length / blockSize);
        return m;
    }

    /** Records a guard-tag (or other tag) violation found at DMA. */
    public void recordTagMismatch(TagMismatch m, long offset, byte[] checksummed, int checksummedOff, byte[] landed,
                                  int landedOff, String submitter, String detail) {
        long blockOff = offset + (long) m.intervalIndex() * blockSize;
        long firstDiff = -1;
        if (checksummed != null) {
            int base = m.intervalIndex() * blockSize;
            for (int i = 0; i < blockSize; i++) {
                if (checksummed[checksummedOff + base + i] != landed[landedOff + base + i]) {
                    firstDiff = blockOff + i;
                    break;
                }
            }
        }
        Violation v = new Violation(m.kind(), blockOff, blockSize, m.lba(), m.expectedHex(), m.actualHex(),
                firstDiff, submitter, List.of(), detail, List.of());
        recorder.record(v);
    }

    // ---------------------------------------------------------------- oracle helpers

    /**
     * Registers a new version of whole blocks that became visible at once (a buffered write copied into
     * the page cache, a mapped store): submitted, landed with the bytes now visible, completed.
     */
    public long visibleVersion(long offset, byte[] src, int srcOff, int length, String thread) {
        long id = oracle.writeSubmitted(offset, length, thread);
        oracle.writeLanded(id, offset, ByteBuffer.wrap(src, srcOff, length));
        oracle.writeCompleted(id);
        return id;
    }

    /** Classifies bytes handed to a reader for a read that started with {@code token}. */
    public void checkRead(long token, long offset, byte[] src, int srcOff, int length, String thread) {
        oracle.readCompleted(token, offset, ByteBuffer.wrap(src, srcOff, length), thread);
    }

    /** Fills {@code dst[off, off+len)} with a pattern unique to {@code version} and each sector's offset. */
    public static void pattern(byte[] dst, int off, int len, long version, long deviceOffset) {
        byte fill = (byte) (version * 31 + 7);
        java.util.Arrays.fill(dst, off, off + len, fill);
        for (int s = 0; s + 16 <= len; s += 512) {
            putLong(dst, off + s, version);
            putLong(dst, off + s + 8, deviceOffset + s);
        }
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
