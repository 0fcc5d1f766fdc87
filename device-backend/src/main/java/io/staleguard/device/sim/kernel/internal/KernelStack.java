package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.TimelineEvent.Type;
import io.staleguard.device.Violation;
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
 * The simulated Linux I/O stack of one scenario under the deterministic scheduler: the file's media
 * (bytes and protection information, the {@link AddressSpace} of its {@link PageCache}), the page
 * cache, the direct-write DMA, and the hooks to the detectors.
 *
 * <p>Detection is never simulated: protection information is generated with
 * {@link ProtectionInformation#generate} when writeback or a direct write submits its data and
 * verified against the bytes the device takes at DMA; the {@link HistoryOracle} is told about every
 * version and classifies every byte handed to a reader, whether it came from the media, the page
 * cache or a mapping; short transfers go through the {@link ShortTransferTracker}.
 *
 * <p>Not thread safe: one {@link Sim} drives it.
 */
public final class KernelStack implements AddressSpace {

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
    /** The file's page cache. */
    public final PageCache cache;
    private final Sim sim;

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
        this.cache = new PageCache(this, pageSize, config.stablePages(), false);
    }

    // ---------------------------------------------------------------- the address space

    @Override
    public long size() {
        return capacity;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public ProtectionFormat protection() {
        return format;
    }

    /** A read I/O: the media as it is now. */
    @Override
    public void read(long offset, byte[] dst, int dstOff, int len) {
        System.arraycopy(media, (int) offset, dst, dstOff, len);
    }

    /** A write I/O: data and tuples stored (tuples generated from the data where none were computed). */
    @Override
    public void write(long offset, byte[] src, int srcOff, int len, byte[] tuples, int tuplesOff) {
        byte[] t = tuples;
        int tOff = tuplesOff;
        if (t == null) {
            t = generatePi(src, srcOff, offset, len);
            tOff = 0;
        }
        System.arraycopy(src, srcOff, media, (int) offset, len);
        piStore.put(offset / blockSize, t, tOff, len / blockSize);
    }

    // ---------------------------------------------------------------- page cache, with the timeline

    /**
     * {@link PageCache#invalidate} over bytes {@code [offset, offset+length)}, noted in the timeline.
     * The caller checked {@link PageCache#anyLocked} first (the kernel waits on the page lock).
     *
     * @param why     the reason, for the timeline; {@code %v} is replaced by {@code v<version>} (the
     *                string is only built when the timeline is captured)
     * @return the number of pages dropped
     */
    public int invalidate(long offset, long length, String thread, String why, long version) {
        int dropped = cache.invalidate(offset, length);
        if (sim.capturing()) {
            long first = offset / pageSize;
            long last = (offset + length - 1) / pageSize;
            sim.event(thread, Type.INVALIDATE, first * pageSize, (last - first + 1) * pageSize, 0,
                    why.replace("%v", "v" + version) + ": dropped " + dropped + " cached page(s)");
        }
        return dropped;
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
     * A direct write's DMA: the device takes {@code length} bytes from {@code src} as they are now,
     * verifies them against the tuples computed at submission, records a violation for every
     * failing block, and stores data and tuples.
     *
     * @return the number of failing blocks
     */
    public int landDirect(byte[] src, int srcOff, long offset, int length, byte[] submittedTuples, String submitter,
                          String detail) {
        ByteBuffer data = ByteBuffer.wrap(src, srcOff, length);
        int failed = 0;
        // Almost every DMA verifies: one check, and verifyEach's sink (an allocation) only for a failure.
        if (ProtectionInformation.verify(format, data, blockSize, offset / blockSize, 0, submittedTuples, 0, 0, 0)
                != null) {
            failed = ProtectionInformation.verifyEach(format, data, blockSize, offset / blockSize, 0, submittedTuples,
                    0, 0, 0, m -> recordTagMismatch(m, offset + (long) m.intervalIndex() * blockSize, null, src,
                            srcOff + m.intervalIndex() * blockSize, submitter, detail));
        }
        write(offset, src, srcOff, length, submittedTuples, 0);
        return failed;
    }

    /**
     * Records a guard-tag (or other tag) violation found at DMA on the block at {@code blockOff}.
     *
     * @param checksummed the bytes the tuples were computed from, for the first differing byte (null: unknown)
     * @param at          where the block starts in {@code checksummed} and {@code landed}
     */
    public void recordTagMismatch(TagMismatch m, long blockOff, byte[] checksummed, byte[] landed, int at,
                                  String submitter, String detail) {
        long firstDiff = -1;
        if (checksummed != null) {
            for (int i = 0; i < blockSize; i++) {
                if (checksummed[at + i] != landed[at + i]) {
                    firstDiff = blockOff + i;
                    break;
                }
            }
        }
        recorder.record(Violation.of(m.kind()).at(blockOff, blockSize, m.lba()).saw(m.expectedHex(), m.actualHex())
                .firstDiff(firstDiff).by(submitter, List.of()).detail(detail).timeline(List.of()).build());
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
