package io.staleguard.device.sim.internal;

import io.staleguard.device.FileLocator;
import io.staleguard.device.IoMode;
import io.staleguard.device.core.internal.FaultHandler;
import io.staleguard.device.core.internal.FaultPoint;
import io.staleguard.device.core.internal.FrontEnd;
import io.staleguard.device.core.internal.IoOp;
import io.staleguard.device.core.internal.SeededRandom;
import io.staleguard.device.core.internal.WriteFault;
import io.staleguard.device.hooks.OpMatcher;
import io.staleguard.device.sim.Fault;
import io.staleguard.device.sim.FaultKind;
import io.staleguard.device.sim.FaultSpec;
import io.staleguard.device.sim.FiredFault;
import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The faults of one simulated device: what tests armed ({@code FaultInjector}'s calls), the seeded rates of a
 * {@link FaultSpec}, the media's bad blocks and flipped bits, the continuations that must fail after a partial
 * write, the byte budget of {@code enospc}, and the ledger of every fault that fired. The front end asks it
 * through its {@link FaultPoint}, which is on only while something is armed, and never while paused (crash
 * states explore honest media).
 *
 * <h2>For the rest of the simulated stack</h2>
 * A flush path that does not go through the front end's {@code flush()}/{@code force} (a file page cache's own
 * fsync) asks {@link #takeFsyncFailure()} and, when it is true, runs its writeback between
 * {@link #openFailingWindow()} and {@link #closeFailingWindow(long)}: every {@code MediaPort.writeBack} in the
 * window throws {@code IOException("Input/output error")}. Page-cache fills ({@code MediaPort.readMediaVerified})
 * of a bad block throw {@code UncheckedIOException} wrapping {@code IOException("Input/output error")}.
 *
 * <p>Thread safe: arming and firing hold this object's lock, which the hot path never takes while the point is off.
 */
public final class DeviceFaults implements FaultHandler {

    /** The salt of a seeded fault's offset decision (misdirect distance, bit position, cut length). */
    private static final int FAULT_OFFSET = 24;

    private static volatile Function<Object, DeviceFaults> access;

    private final FaultPoint point = new FaultPoint(this);
    private final long seed;
    private final int blockSize;
    private final int blockShift;
    private final long capacity;
    private final ChunkedMedia media;
    private final MediaFaults mediaFaults;
    private final List<Armed> armed = new ArrayList<>();
    private final FaultLedger ledger = new FaultLedger();
    private final Map<Long, Continuation> continuations = new HashMap<>();
    /** Which fault made each range of blocks bad, by first byte: what a failing read names. */
    private final java.util.TreeMap<Long, BadRange> badOrigins = new java.util.TreeMap<>();
    private final AtomicLong fsyncs = new AtomicLong();
    private final AtomicLong failedWritebacks = new AtomicLong();
    private final AtomicLong writebacks = new AtomicLong();
    private final AtomicLong misdirectedWritebacks = new AtomicLong();
    private FaultSpec spec;
    private SeededRate[] rates;
    private long nextId;
    /** Bytes writes may still store before {@code enospc}; -1: no budget. */
    private long budget = -1;
    private Armed budgetFault;
    private int window;
    private int pauses;
    private boolean mediaFaultsInstalled;

    /**
     * @param spec the device's seeded rates ({@link FaultSpec#NONE} for none)
     */
    public DeviceFaults(long seed, int blockSize, long capacity, ChunkedMedia media, FaultSpec spec) {
        this.seed = seed;
        this.blockSize = blockSize;
        this.blockShift = Integer.numberOfTrailingZeros(blockSize);
        this.capacity = capacity;
        this.media = media;
        this.mediaFaults = new MediaFaults(blockSize);
        rates(spec);
    }

    /**
     * Lets {@code SimulatedDevice}'s public fault injector hand its device's faults to the simulated stack
     * without a public signature naming this class.
     */
    public static void grantAccess(Function<Object, DeviceFaults> accessor) {
        access = Objects.requireNonNull(accessor, "accessor");
    }

    /** The faults of {@code device}: for the page caches and the filesystem on it. */
    public static DeviceFaults of(SimulatedDevice device) {
        return access.apply(device.faults());
    }

    /** Binds the front end this handler answers (its log, its clock, its filesystem map). */
    public void bind(FrontEnd frontEnd) {
        ledger.bind(frontEnd);
    }

    /** The switch the front end's stages read. */
    public FaultPoint point() {
        return point;
    }

    /** Whether a fault may fire now (something armed or a non-zero rate, and not paused). */
    public boolean active() {
        return point.active();
    }

    // ------------------------------------------------------------------ arming (FaultInjector's calls)

    /** Replaces the seeded rates. */
    public synchronized void rates(FaultSpec newSpec) {
        this.spec = Objects.requireNonNull(newSpec, "spec");
        List<SeededRate> r = new ArrayList<>();
        List<FaultSpec.Item> items = newSpec.items();
        for (int i = 0; i < items.size(); i++) {
            FaultSpec.Item item = items.get(i);
            if (item.kind() == FaultKind.NO_SPACE) {
                Armed a = arm(FaultKind.NO_SPACE, "after " + item.bytes() + " more bytes", -1, "spec " + item);
                budget = item.bytes();
                budgetFault = a;
                continue;
            }
            if (item.rate() > 0) {
                r.add(new SeededRate(item, i, ++nextId, seed, blockShift));
            }
        }
        this.rates = r.toArray(new SeededRate[0]);
        update();
    }

    /** The seeded rates. */
    public synchronized FaultSpec rates() {
        return spec;
    }

    /** Arms a fault selecting writes by {@code range} (device offsets, null: every write) or {@code matcher}. */
    public synchronized Fault armWrites(FaultKind kind, long offset, long length, OpMatcher matcher, int times,
                                        int bytes, String target, String origin) {
        Armed a = arm(kind, target, times, origin);
        a.offset = offset;
        a.length = length;
        a.matcher = matcher;
        a.bytes = bytes;
        update();
        return a.snapshot();
    }

    /** Arms {@code times} fsync failures. */
    public synchronized Fault armFsync(int times, String origin) {
        Armed a = arm(FaultKind.FSYNC_ERROR, "the next " + (times == 1 ? "fsync" : times + " fsyncs"), times, origin);
        update();
        return a.snapshot();
    }

    /** Marks blocks bad until rewritten. */
    public synchronized Fault armBadBlocks(long offset, long length, String origin) {
        Armed a = arm(FaultKind.READ_ERROR, range(offset, length), -1, origin);
        a.offset = offset;
        a.length = length;
        installMediaFaults();
        mediaFaults.markBad(offset >> blockShift, length >> blockShift);
        badOrigins.put(offset, new BadRange(offset + length, a.snapshot()));
        update();
        return a.snapshot();
    }

    /** Flips a bit of the media until the byte is rewritten. */
    public synchronized Fault armBitFlip(long offset, int bit, String origin) {
        Armed a = arm(FaultKind.BIT_FLIP, "bit " + bit + " of byte " + offset, -1, origin);
        a.offset = offset;
        a.length = 1;
        installMediaFaults();
        mediaFaults.flip(offset, bit);
        fire(a, 0, Thread.currentThread().getName(), offset, 1, "bitrot: bit " + bit + " of byte " + offset
                + " flipped on the media (" + a.label() + ")");
        update();
        return a.snapshot();
    }

    /** Misdirects the next write addressed at {@code addressed} to {@code landing}. */
    public synchronized Fault armMisdirect(long addressed, long landing, String origin) {
        Armed a = arm(FaultKind.MISDIRECTED_WRITE, range(addressed, blockSize) + " to " + landing, 1, origin);
        a.offset = addressed;
        a.length = blockSize;
        a.landing = landing;
        update();
        return a.snapshot();
    }

    /** Sets the device's remaining write budget. */
    public synchronized Fault armNoSpace(long bytes, String origin) {
        Armed a = arm(FaultKind.NO_SPACE, "after " + bytes + " more bytes", -1, origin);
        budget = bytes;
        budgetFault = a;
        update();
        return a.snapshot();
    }

    /** The faults armed now (seeded rates included, as spec items). */
    public synchronized List<Fault> armed() {
        List<Fault> out = new ArrayList<>();
        for (Armed a : armed) {
            out.add(a.snapshot());
        }
        for (SeededRate r : rates) {
            out.add(r.asFault());
        }
        return out;
    }

    /** Every fault that fired, in order. */
    public synchronized List<FiredFault> fired() {
        return ledger.all();
    }

    /** Disarms everything: armed faults, rates, bad blocks and flipped bits (the media reads pristine again). */
    public synchronized void clear() {
        armed.clear();
        continuations.clear();
        budget = -1;
        budgetFault = null;
        spec = FaultSpec.NONE;
        rates = new SeededRate[0];
        if (mediaFaultsInstalled) {
            mediaFaults.clear();
        }
        badOrigins.clear();
        update();
    }

    /**
     * Pauses every fault (crash states are explored on honest media); armed faults and rates are kept. Pauses
     * nest: each {@code pause()} needs its {@link #resume()}.
     */
    public synchronized void pause() {
        if (pauses++ == 0) {
            if (mediaFaultsInstalled) {
                publishMediaFaults(null);
            }
            update();
        }
    }

    /** Ends one {@link #pause()}; faults fire again once every pause ended. */
    public synchronized void resume() {
        if (pauses > 0 && --pauses == 0) {
            if (mediaFaultsInstalled) {
                publishMediaFaults(mediaFaults);
            }
            update();
        }
    }

    /** Whether paused. */
    public synchronized boolean paused() {
        return pauses > 0;
    }

    // ------------------------------------------------------------------ the seam of fsync paths

    /**
     * Whether the current flush or fsync fails: consumes one armed {@code failFsync} count or decides the
     * seeded {@code fsync-error} rate on the device's fsync count; records the fault when it fires. Every flush
     * path calls it once per flush or force (the front end's {@code flush()} and {@code force} do).
     */
    public boolean takeFsyncFailure() {
        return point.active() && failsFlush(Thread.currentThread().getName());
    }

    @Override
    public synchronized boolean failsFlush(String thread) {
        long n = fsyncs.incrementAndGet();
        for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
            Armed a = it.next();
            if (a.kind == FaultKind.FSYNC_ERROR && a.remaining > 0) {
                a.remaining--;
                fire(a, n, thread, 0, 0, "fsync-error: fsync #" + n + " fails with EIO (" + a.label() + ")");
                if (a.remaining == 0) {
                    it.remove();
                    update();
                }
                return true;
            }
        }
        for (SeededRate r : rates) {
            if (r.kind() == FaultKind.FSYNC_ERROR && r.decide(n, 0, 0, files())) {
                fire(r.asFault(), n, thread, 0, 0, "fsync-error: fsync #" + n + " fails with EIO (" + r.label() + ")");
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized long openFailingWindow() {
        window++;
        return failedWritebacks.get();
    }

    @Override
    public synchronized long closeFailingWindow(long mark) {
        window = Math.max(0, window - 1);
        return failedWritebacks.get() - mark;
    }

    @Override
    public void beforeWriteback(long offset, int length) throws IOException {
        synchronized (this) {
            if (window == 0) {
                return;
            }
            failedWritebacks.incrementAndGet();
        }
        throw new IOException(EIO);
    }

    @Override
    public synchronized boolean losesWriteback(long offset, int length) {
        String thread = Thread.currentThread().getName();
        Armed a = firstWriteFault(FaultKind.LOST_WRITE, offset, length, null);
        if (a != null) {
            consume(a);
            fire(a, 0, thread, offset, length, "lost-write: writeback of " + range(offset, length)
                    + " acknowledged, never stored (" + a.label() + ")");
            return true;
        }
        // A writeback has no operation number of its own: its seeded decision counts writebacks, apart from
        // the operations' numbers (it is an eligible write of lost-write@N all the same).
        long n = -writebacks.incrementAndGet();
        for (SeededRate r : rates) {
            if (r.kind() == FaultKind.LOST_WRITE && r.decide(n, offset, length, files())) {
                fire(r.asFault(), 0, thread, offset, length, "lost-write: writeback of " + range(offset, length)
                        + " acknowledged, never stored (" + r.label() + ")");
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized long landingWriteback(long offset, int length) {
        String thread = Thread.currentThread().getName();
        for (Armed a : armed) {
            if (a.kind == FaultKind.MISDIRECTED_WRITE && a.offset == offset && a.remaining > 0
                    && a.landing + length <= capacity) {
                consume(a);
                fire(a, 0, thread, offset, length, "misdirect: the writeback addressed at " + offset + " lands at "
                        + a.landing + " (" + a.label() + ")");
                return a.landing;
            }
        }
        long n = -misdirectedWritebacks.incrementAndGet();
        for (SeededRate r : rates) {
            if (r.kind() == FaultKind.MISDIRECTED_WRITE && r.decide(n, offset, length, files())) {
                long to = seededLanding(n, offset, length);
                if (to != offset) {
                    fire(r.asFault(), 0, thread, offset, length, "misdirect: the writeback addressed at " + offset
                            + " lands at " + to + " (" + r.label() + ")");
                    return to;
                }
            }
        }
        return offset;
    }

    // ------------------------------------------------------------------ the front end's questions

    @Override
    public synchronized WriteFault beforeWrite(IoOp op) {
        WriteFault f = ioFault(op);
        if (f != null && f.fails()) {
            return f;
        }
        WriteFault space = spaceFault(op, f == null ? op.length() : f.keep());
        return space != null ? space : f;
    }

    /** The continuation of a partial write, write errors and partial writes, armed or seeded. */
    private WriteFault ioFault(IoOp op) {
        long off = op.offset();
        int len = op.length();
        Continuation c = continuations.get(op.caller().id());
        if (c != null && c.offset == off) {
            continuations.remove(op.caller().id());
            update();
            return failWrite(c.fault, op, EIO, c.kind.inWords() + ": the continuation at " + off + " fails with EIO");
        }
        Armed a = firstWriteFault(FaultKind.WRITE_ERROR, off, len, op);
        if (a != null) {
            consume(a);
            return failWrite(a, op, EIO, "write-error: the write fails with EIO, nothing moved");
        }
        a = firstWriteFault(FaultKind.PARTIAL_WRITE, off, len, op);
        if (a != null) {
            consume(a);
            return cutWrite(a, op, a.bytes);
        }
        for (SeededRate r : rates) {
            FaultKind k = r.kind();
            if ((k == FaultKind.WRITE_ERROR || k == FaultKind.PARTIAL_WRITE) && r.decide(op.sequence(), off, len, files())) {
                if (k == FaultKind.WRITE_ERROR) {
                    return failWrite(r.asFault(), op, EIO, "write-error: the write fails with EIO, nothing moved");
                }
                long unit = op.mode() == IoMode.DIRECT ? blockSize : 1;
                long units = len / unit;
                int keep = units >= 2
                        ? (int) (unit * (1 + SeededRandom.below(seed, op.sequence(), FAULT_OFFSET, units - 1))) : 0;
                return cutWrite(r.asFault(), op, keep);
            }
        }
        return null;
    }

    /** The {@code enospc} budget: a write of {@code len} bytes that crosses it is cut there, one after it fails. */
    private WriteFault spaceFault(IoOp op, int len) {
        if (budget < 0) {
            return null;
        }
        if (len <= budget) {
            budget -= len;
            return null;
        }
        int keep = (int) (op.mode() == IoMode.DIRECT ? budget & -blockSize : budget);
        if (keep == 0) {
            budget = 0;
            return failWrite(budgetFault, op, ENOSPC, "enospc: the device is full");
        }
        budget -= keep;
        fire(budgetFault, op.sequence(), op.thread(), op.offset(), op.length(), "enospc: " + keep + " of " + len
                + " bytes fit, the next write fails with ENOSPC (" + budgetFault.label() + ")");
        return WriteFault.cut(keep);
    }

    @Override
    public synchronized int readable(IoOp op) {
        long off = op.offset();
        int len = op.length();
        long aStart = off & -blockSize;
        long blocks = ((off + len + blockSize - 1) >> blockShift) - (aStart >> blockShift);
        for (SeededRate r : rates) {
            FaultKind k = r.kind();
            if ((k == FaultKind.READ_ERROR || k == FaultKind.BIT_FLIP) && r.decide(op.sequence(), off, len, files())) {
                installMediaFaults();
                if (k == FaultKind.READ_ERROR) {
                    // The failing read itself is the event: it names this fault through the origin.
                    mediaFaults.markBad(aStart >> blockShift, 1);
                    badOrigins.put(aStart, new BadRange(aStart + blockSize, r.asFault()));
                } else {
                    long b = SeededRandom.below(seed, op.sequence(), FAULT_OFFSET, blocks);
                    long bitIndex = SeededRandom.below(seed, op.sequence(), FAULT_OFFSET + 1, (long) blockSize * 8);
                    long byteOff = aStart + (b << blockShift) + (bitIndex >> 3);
                    mediaFaults.flip(byteOff, (int) (bitIndex & 7));
                    fire(r.asFault(), op.sequence(), op.thread(), byteOff, 1, "bitrot: bit " + (bitIndex & 7)
                            + " of byte " + byteOff + " flipped on the media (" + r.label() + ")");
                }
            }
        }
        return readableBytes(off, len, op.sequence(), op.thread());
    }

    @Override
    public synchronized int readable(long offset, int length, String who) {
        return readableBytes(offset, length, 0, who);
    }

    @Override
    public synchronized boolean loses(IoOp op) {
        Armed a = firstWriteFault(FaultKind.LOST_WRITE, op.offset(), op.length(), op);
        if (a != null) {
            consume(a);
            fire(a, op.sequence(), op.thread(), op.offset(), op.length(), "lost-write: acknowledged, never stored ("
                    + a.label() + ")");
            return true;
        }
        for (SeededRate r : rates) {
            if (r.kind() == FaultKind.LOST_WRITE && r.decide(op.sequence(), op.offset(), op.length(), files())) {
                fire(r.asFault(), op.sequence(), op.thread(), op.offset(), op.length(),
                        "lost-write: acknowledged, never stored (" + r.label() + ")");
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized long landing(IoOp op, long addressed) {
        int len = op.length();
        for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
            Armed a = it.next();
            if (a.kind == FaultKind.MISDIRECTED_WRITE && a.offset == addressed && a.remaining > 0
                    && a.landing + len <= capacity) {
                consume(a);
                fire(a, op.sequence(), op.thread(), addressed, len, "misdirect: the write addressed at " + addressed
                        + " lands at " + a.landing + " (" + a.label() + ")");
                return a.landing;
            }
        }
        for (SeededRate r : rates) {
            if (r.kind() == FaultKind.MISDIRECTED_WRITE && r.decide(op.sequence(), addressed, len, files())) {
                long to = seededLanding(op.sequence(), addressed, len);
                if (to != addressed) {
                    fire(r.asFault(), op.sequence(), op.thread(), addressed, len, "misdirect: the write addressed at "
                            + addressed + " lands at " + to + " (" + r.label() + ")");
                    return to;
                }
            }
        }
        return addressed;
    }

    // ------------------------------------------------------------------ internals

    /** A seeded landing block for {@code len} bytes addressed at {@code addressed}: another block that fits. */
    private long seededLanding(long seq, long addressed, int len) {
        long blocks = len >> blockShift;
        long total = capacity >> blockShift;
        if (total <= blocks) {
            return addressed;
        }
        long lba = addressed >> blockShift;
        long span = total - blocks + 1;
        long target = (lba + 1 + SeededRandom.below(seed, seq, FAULT_OFFSET, span - 1)) % span;
        return target == lba ? addressed : target << blockShift;
    }

    private int readableBytes(long off, int len, long seq, String thread) {
        if (!mediaFaultsInstalled) {
            return len;
        }
        long aStart = off & -blockSize;
        long blocks = ((off + len + blockSize - 1) >> blockShift) - (aStart >> blockShift);
        long bad = mediaFaults.firstBad(aStart >> blockShift, blocks);
        if (bad < 0) {
            return len;
        }
        int readable = (int) Math.max(0, (bad << blockShift) - off);
        Fault f = faultOfBadBlock(bad);
        fire(f, seq, thread, bad << blockShift, blockSize, (readable == 0
                ? "read-error: block " + bad + " is bad, the read fails with EIO"
                : "read-error: block " + bad + " is bad, the read stops after " + readable + " of " + len + " bytes")
                + " (" + label(f) + ")");
        return readable;
    }

    private Fault faultOfBadBlock(long lba) {
        long at = lba << blockShift;
        Map.Entry<Long, BadRange> e = badOrigins.floorEntry(at);
        while (e != null) {
            if (at < e.getValue().end) {
                return e.getValue().fault;
            }
            e = badOrigins.lowerEntry(e.getKey());
        }
        return new Fault(0, FaultKind.READ_ERROR, range(at, blockSize), -1, "bad block");
    }

    private WriteFault failWrite(Armed a, IoOp op, String message, String what) {
        return failWrite(a.snapshot(), op, message, what);
    }

    private WriteFault failWrite(Fault f, IoOp op, String message, String what) {
        long t = fire(f, op.sequence(), op.thread(), op.offset(), op.length(), what + " (" + label(f) + ")");
        return WriteFault.fail(message, "injected " + f.kind().inWords() + ", fault #" + f.id() + " at t=" + t);
    }

    private WriteFault cutWrite(Armed a, IoOp op, int keep) {
        return cutWrite(a.snapshot(), op, keep);
    }

    private WriteFault cutWrite(Fault f, IoOp op, int keep) {
        int len = op.length();
        if (keep <= 0) {
            return failWrite(f, op, EIO, f.kind().inWords() + ": the write fails with EIO before any byte moved");
        }
        int moved = Math.min(keep, len);
        continuations.put(op.caller().id(), new Continuation(op.offset() + moved, f, f.kind()));
        fire(f, op.sequence(), op.thread(), op.offset(), len, f.kind().inWords() + ": " + moved + " of " + len
                + " bytes, the continuation at " + (op.offset() + moved) + " fails with EIO (" + label(f) + ")");
        update();
        return moved < len ? WriteFault.cut(moved) : null;
    }

    private Armed firstWriteFault(FaultKind kind, long off, int len, IoOp op) {
        for (Armed a : armed) {
            if (a.kind != kind || a.remaining == 0) {
                continue;
            }
            if (a.matcher != null) {
                if (op != null && a.matcher.matches(op.info(files()), a.matcher.stage())) {
                    return a;
                }
            } else if (a.offset < off + len && off < a.offset + a.length) {
                return a;
            }
        }
        return null;
    }

    private void consume(Armed a) {
        if (a.remaining > 0 && --a.remaining == 0) {
            armed.remove(a);
            update();
        }
    }

    private Armed arm(FaultKind kind, String target, int times, String origin) {
        Armed a = new Armed(++nextId, kind, target, times, origin);
        armed.add(a);
        return a;
    }

    private long fire(Fault f, long seq, String thread, long offset, long length, String note) {
        return ledger.fire(f, seq, thread, offset, length, note);
    }

    private long fire(Armed a, long seq, String thread, long offset, long length, String note) {
        return fire(a.snapshot(), seq, thread, offset, length, note);
    }

    private FileLocator files() {
        return ledger.files();
    }

    private void installMediaFaults() {
        if (!mediaFaultsInstalled) {
            mediaFaultsInstalled = true;
            if (pauses == 0) {
                publishMediaFaults(mediaFaults);
            }
        }
    }

    private void publishMediaFaults(MediaFaults f) {
        FrontEnd c = ledger.frontEnd();
        if (c == null) {
            media.faults(f);
        } else {
            c.underAllLocks(() -> media.faults(f));
        }
    }

    /** Switches the point: on while anything can fire and not paused. */
    private void update() {
        boolean on = pauses == 0 && (!armed.isEmpty() || rates.length > 0 || !continuations.isEmpty() || budget >= 0
                || (mediaFaultsInstalled && !mediaFaults.isEmpty()));
        point.activate(on);
    }

    private String range(long offset, long length) {
        return "[" + offset + ",+" + length + ")";
    }

    private static String label(Fault f) {
        return "fault #" + f.id() + ", " + f.origin();
    }

    /** A fault armed by a call, with its mutable count. */
    private final class Armed {
        final long id;
        final FaultKind kind;
        final String target;
        final String origin;
        int remaining;
        long offset;
        long length = Long.MAX_VALUE;
        long landing;
        int bytes;
        OpMatcher matcher;

        Armed(long id, FaultKind kind, String target, int remaining, String origin) {
            this.id = id;
            this.kind = kind;
            this.target = target;
            this.remaining = remaining;
            this.origin = origin;
        }

        Fault snapshot() {
            return new Fault(id, kind, target, remaining, origin);
        }

        String label() {
            return "fault #" + id + ", " + origin;
        }
    }

    /** Blocks made bad by one fault, up to {@code end} (exclusive). */
    private record BadRange(long end, Fault fault) {
    }

    /** The continuation of a partial write that must fail. */
    private record Continuation(long offset, Fault fault, FaultKind kind) {
    }

    @Override
    public String toString() {
        return "faults " + spec + ", " + armed.size() + " armed, " + ledger.size() + " fired"
                + (pauses > 0 ? ", paused" : "");
    }
}
