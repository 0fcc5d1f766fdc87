package io.staleguard.device.oracle;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.FileLocation;
import io.staleguard.device.TimelineEvent;
import io.staleguard.device.Violation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
import org.apiguardian.api.API;

/**
 * Flags relative reads and writes at a channel position that another thread moved: a
 * {@link io.staleguard.device.ViolationKind#POSITION_RACE POSITION_RACE}.
 *
 * <p>A {@code FileChannel} has one position for all its threads. Code that emulates a positional read as
 * {@code position(x); read(dst)} on a shared channel reads from wherever another thread left the position when it
 * gets between the two calls: every byte is a valid version, only from the wrong place, so neither the oracle nor
 * protection information notices. Real reports of the class: H2's {@code FileBase} (h2database PR #2292,
 * "synchronise fileBase subclasses use of position", grandinj, 2019-11-28) and jhdf's
 * {@code FileChannelFromSeekableByteChannel} (jhdf PR #701, "Fix: thread safety of
 * FileChannelFromSeekableByteChannel", thomas-reimonn, 2025-05-04); both were fixed with one lock held over the pair.
 *
 * <h2>The rule</h2>
 * A thread synchronises with the channel's position when it sets it ({@code position(x)}), learns it
 * ({@code position()}) or moves it by its own relative call; those are the only happens-before edges through the
 * channel Staleguard can see. A relative read or write by thread T is a violation iff T has ever set the position
 * (only such threads <em>expect</em> a place: a shared sequential reader or appender that never sets it takes the
 * next chunk, wherever that is) and another thread set or moved the position after T last synchronised with it.
 * Positional calls ({@code read(dst, pos)}) never reach the tracker. A program that holds one lock over
 * {@code position(x)} and the call makes the interleaving impossible, so it stays clean.
 *
 * <h2>Use and cost</h2>
 * One tracker per channel. Every method must be called with the channel's position lock held, in the order the
 * calls change or use the position; the tracker has no lock of its own. When the thread that last moved the
 * position moves it again (one thread using the channel) a call is a reference compare and a few field stores;
 * it allocates only when a thread first uses the channel and when it records a violation.
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class PositionTracker {

    /** How a thread last synchronised with the position; the words are built only for a violation. */
    enum Sync {
        SET, OBSERVED, READ, WRITE, APPEND, TRUNCATE
    }

    private static final Thread[] NO_THREADS = {};
    private static final long[] NO_LONGS = {};
    private static final Sync[] NO_SYNCS = {};
    private static final boolean[] NO_BOOLEANS = {};

    private final String channel;
    private final int blockSize;
    private final ViolationRecorder sink;
    private final OperationLog log;
    private final LongSupplier clock;
    private final LongFunction<FileLocation> file;
    private final LongUnaryOperator deviceOffset;

    /** A race found before a relative call, recorded after it; null when none. */
    private PendingRace pending;

    /** Moves of the position so far; a thread's {@code seq} is this count when it last synchronised. */
    private long moves;

    /** The thread that made the last move, its slot, and that move. */
    private Thread mover;
    private int moverSlot = -1;
    private boolean moverExpects;
    private Sync moveHow;
    private long moveTo;
    private long moveLength;
    private long moveTime;

    /**
     * Per thread, what it knew when it stopped being the mover (or when it last observed the position). The
     * mover's own row is stale: the move fields above are its newest state. Allocated at the first use of the
     * position, so that a channel only read and written positionally costs nothing.
     */
    private Thread[] threads = NO_THREADS;
    private long[] seq = NO_LONGS;
    private long[] at = NO_LONGS;
    private long[] length = NO_LONGS;
    private long[] time = NO_LONGS;
    private Sync[] how = NO_SYNCS;
    private boolean[] expects = NO_BOOLEANS;

    /**
     * A tracker for a channel on a raw device, whose positions are device offsets.
     *
     * @param channel   the channel's name in reports ({@code "FileChannel#3 (DIRECT)"})
     * @param blockSize the device's logical block size, for the lba of a violation
     * @param sink      where violations are recorded
     * @param log       timelines are taken from it (may be null: no timelines)
     * @param clock     the instants shown in reports (the device's clock)
     */
    public PositionTracker(String channel, int blockSize, ViolationRecorder sink, OperationLog log,
                           LongSupplier clock) {
        this(channel, blockSize, sink, log, clock, null, null);
    }

    /**
     * A tracker for a channel on a file.
     *
     * @param file         the file location of a position, or null when positions are device offsets
     * @param deviceOffset the device offset holding a position (-1 for a hole), for the violation's range and
     *                     timeline; null when positions are device offsets
     */
    public PositionTracker(String channel, int blockSize, ViolationRecorder sink, OperationLog log,
                           LongSupplier clock, LongFunction<FileLocation> file, LongUnaryOperator deviceOffset) {
        if (blockSize <= 0) {
            throw new IllegalArgumentException("blockSize must be > 0, was " + blockSize);
        }
        this.channel = Objects.requireNonNull(channel, "channel");
        this.blockSize = blockSize;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.log = log;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.file = file;
        this.deviceOffset = deviceOffset;
    }

    /** The current thread set the position to {@code position} ({@code position(x)}): it now expects it there. */
    public void set(long position) {
        Thread t = Thread.currentThread();
        if (t != mover) {
            becomeMover(t);
        }
        moverExpects = true;
        moved(t, Sync.SET, position, 0);
    }

    /** The current thread read the position ({@code position()}): it knows where it is now. */
    public void observed(long position) {
        Thread t = Thread.currentThread();
        if (t != mover) {
            int s = slot(t);
            seq[s] = moves;
            at[s] = position;
            length[s] = 0;
            time[s] = clock.getAsLong();
            how[s] = Sync.OBSERVED;
        }
        if (pending != null) {
            recordPending();
        }
    }

    /**
     * Before a relative read or write of {@code requested} bytes at the channel's {@code position} by the current
     * thread: whether another thread moved the position after this one last synchronised with it. The violation
     * is recorded once the call is over ({@link #advanced}), so that its timeline shows the call; if the call
     * throws, at the tracker's next call.
     */
    public boolean beforeRelative(boolean write, long position, long requested) {
        int s = raced();
        if (s >= 0) {
            pending = race(s, write, position, requested);
        }
        return s >= 0;
    }

    /** {@link #beforeRelative(boolean, long, long)} of a scattering read or gathering write of {@code buffers}. */
    public boolean beforeRelative(boolean write, long position, ByteBuffer[] buffers) {
        int s = raced();
        if (s < 0) {
            return false;
        }
        long requested = 0;
        for (ByteBuffer b : buffers) {
            requested += b.remaining();
        }
        pending = race(s, write, position, requested);
        return true;
    }

    /** The current thread's row if its relative call now is a race, else -1. */
    private int raced() {
        if (pending != null) {
            recordPending();
        }
        Thread t = Thread.currentThread();
        if (t == mover || moves == 0) {
            return -1;
        }
        int s = find(t);
        return s < 0 || !expects[s] || moves <= seq[s] ? -1 : s;
    }

    /** What a race's words need, taken before the call moves the position. */
    private PendingRace race(int s, boolean write, long position, long requested) {
        PositionRaceFormatter.Step expected = new PositionRaceFormatter.Step(threads[s].getName(), how[s], at[s],
                length[s], time[s]);
        PositionRaceFormatter.Step moved = new PositionRaceFormatter.Step(mover.getName(), moveHow, moveTo,
                moveLength, moveTime);
        return new PendingRace(write, position, requested, expected, moved);
    }

    private record PendingRace(boolean write, long position, long requested, PositionRaceFormatter.Step expected,
                               PositionRaceFormatter.Step moved) {
    }

    private void recordPending() {
        PendingRace r = pending;
        pending = null;
        long device = deviceOffset == null ? r.position() : deviceOffset.applyAsLong(r.position());
        long offset = device < 0 ? r.position() : device;
        Violation v = PositionRaceFormatter.race(channel, r.write(), r.position(), r.requested(), r.expected(),
                        r.moved())
                .at(offset, r.requested(), offset / blockSize)
                .timeline(timeline(device, r.requested(), r.expected(), r.moved())).build();
        FileLocation where = file == null ? null : file.apply(r.position());
        sink.record(where == null ? v : v.locatedAt(where));
    }

    /**
     * After a relative read ({@code write} false) or write of the current thread that transferred
     * {@code transferred} bytes (0 or -1 for none), leaving the position at {@code to}.
     */
    public void advanced(boolean write, long to, long transferred) {
        if (transferred > 0) {
            moved(Thread.currentThread(), write ? Sync.WRITE : Sync.READ, to, transferred);
        } else {
            // Nothing moved (end of data, an empty buffer): the caller used the position and knows it now.
            observed(to);
        }
    }

    /** An append by the current thread put the position at the end of the file, {@code to}. */
    public void appended(long to, long transferred) {
        moved(Thread.currentThread(), Sync.APPEND, to, transferred);
    }

    /** A truncate by the current thread moved the position back to the new size {@code to}. */
    public void truncated(long to) {
        moved(Thread.currentThread(), Sync.TRUNCATE, to, 0);
    }

    private void moved(Thread t, Sync kind, long to, long transferred) {
        if (t != mover) {
            becomeMover(t);
        }
        moves++;
        moveHow = kind;
        moveTo = to;
        moveLength = transferred;
        moveTime = clock.getAsLong();
        if (pending != null) {
            // After the state is right: under fail-fast the recorder throws.
            recordPending();
        }
    }

    /** Hands the mover role to {@code t}: the old mover's newest state goes into its row, {@code t}'s comes out. */
    private void becomeMover(Thread t) {
        if (mover != null) {
            int m = moverSlot;
            seq[m] = moves;
            at[m] = moveTo;
            length[m] = moveLength;
            time[m] = moveTime;
            how[m] = moveHow;
            expects[m] = moverExpects;
        }
        int s = slot(t);
        mover = t;
        moverSlot = s;
        moverExpects = expects[s];
    }

    /**
     * The device's events around the used range, with the two position changes the device never saw (a
     * {@code position(x)} is no I/O) put in time order as notes.
     */
    private List<TimelineEvent> timeline(long device, long requested, PositionRaceFormatter.Step expected,
                                         PositionRaceFormatter.Step moved) {
        if (log == null || !sink.wantsDetail()) {
            return List.of();
        }
        List<TimelineEvent> events = new ArrayList<>(device < 0 ? List.of()
                : log.around(device, requested, OperationLog.DEFAULT_AROUND));
        long at = Math.max(device, 0);
        events.add(PositionRaceFormatter.note(expected, at));
        events.add(PositionRaceFormatter.note(moved, at));
        events.sort(Comparator.comparingLong(TimelineEvent::time));
        return events;
    }

    private int find(Thread t) {
        Thread[] ts = threads;
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] == t) {
                return i;
            }
        }
        return -1;
    }

    /** {@code t}'s row, taking a free one (or one of a thread that ended) or growing the table. */
    private int slot(Thread t) {
        int s = find(t);
        if (s >= 0) {
            return s;
        }
        for (int i = 0; i < threads.length; i++) {
            if (i != moverSlot && (threads[i] == null || !threads[i].isAlive())) {
                return claim(i, t);
            }
        }
        int n = threads.length;
        int grown = Math.max(4, 2 * n);
        threads = Arrays.copyOf(threads, grown);
        seq = Arrays.copyOf(seq, grown);
        at = Arrays.copyOf(at, grown);
        length = Arrays.copyOf(length, grown);
        time = Arrays.copyOf(time, grown);
        how = Arrays.copyOf(how, grown);
        expects = Arrays.copyOf(expects, grown);
        return claim(n, t);
    }

    private int claim(int i, Thread t) {
        threads[i] = t;
        seq[i] = moves;
        at[i] = 0;
        length[i] = 0;
        time[i] = 0;
        how[i] = Sync.OBSERVED;
        expects[i] = false;
        return i;
    }
}
