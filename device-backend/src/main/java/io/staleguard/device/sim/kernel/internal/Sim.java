package io.staleguard.device.sim.kernel.internal;

import io.staleguard.device.TimelineEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The deterministic scheduler: one thread, virtual time, every choice drawn from one seed.
 *
 * <p>A live execution pops the earliest scheduled {@link Op}; if it is not {@linkplain Op#ready
 * ready} it waits (parked), and parked ops are retried, in parking order, after every op that ran.
 * Ties in time are broken by scheduling order, so the same seed gives the same execution bit for
 * bit. Every op that ran is appended to the operation log, which {@link #replay} re-executes.
 */
public final class Sim {

    /** Ops kept for replay and shrinking; past this the log stops growing (and cannot be shrunk). */
    public static final int LOG_LIMIT = 1 << 21;

    private final boolean live;
    private final SplittableRandom rng;
    private final PriorityQueue<Op> queue;
    private final ArrayList<Op> parked = new ArrayList<>();
    private final ArrayList<Op> log;
    private final List<TimelineEvent> events;
    private long now;
    private long seq;
    private long executed;
    private boolean logOverflow;
    private boolean stopRequested;

    private Sim(boolean live, long seed, boolean capture, boolean keepLog) {
        this.live = live;
        this.rng = live ? new SplittableRandom(seed) : null;
        this.queue = live ? new PriorityQueue<>((a, b) -> a.time != b.time ? Long.compare(a.time, b.time)
                : Long.compare(a.seq, b.seq)) : null;
        this.log = keepLog ? new ArrayList<>() : null;
        this.events = capture ? new ArrayList<>() : null;
    }

    /**
     * A live scheduler drawing every choice from {@code seed}.
     *
     * @param keepLog whether to keep the operation log (for replay and shrinking); bulk runs that
     *                only need the verdict leave it off, which keeps the heap (and GC) small
     */
    public static Sim live(long seed, boolean capture, boolean keepLog) {
        return new Sim(true, seed, capture, keepLog);
    }

    /** A replaying scheduler (no randomness, no scheduling; ops come from a log). */
    public static Sim replaying(boolean capture) {
        return new Sim(false, 0, capture, false);
    }

    /** Whether this is a live execution (ops may schedule follow-ups and draw random numbers). */
    public boolean live() {
        return live;
    }

    /** Whether timeline events are being captured (the slow, readable mode). */
    public boolean capturing() {
        return events != null;
    }

    /** The current virtual time in nanoseconds. */
    public long now() {
        return now;
    }

    /** Number of ops executed so far. */
    public long executed() {
        return executed;
    }

    /** Whether the log hit {@link #LOG_LIMIT}. */
    public boolean logOverflow() {
        return logOverflow;
    }

    /** Asks the live loop to stop after the current op. */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Runs {@code action} {@code delayNanos} from now (live only): an actor's wake-up (think time,
     * polling). Timers are neither logged nor counted as operations; only the ops they schedule are.
     */
    public void timer(long delayNanos, Runnable action) {
        at(delayNanos, new Timer(action));
    }

    /** An unlogged wake-up. */
    private static final class Timer extends Op {
        private final Runnable action;

        Timer(Runnable action) {
            super("timer");
            this.action = action;
        }

        @Override
        public void apply(World w) {
            action.run();
        }
    }

    /** Schedules {@code op} {@code delayNanos} from now (live only; ignored in a replay). */
    public void at(long delayNanos, Op op) {
        if (!live) {
            return;
        }
        op.time = now + delayNanos;
        op.seq = seq++;
        queue.add(op);
    }

    /** A uniformly drawn delay in {@code [lo, hi]} nanoseconds (live only). */
    public long between(long lo, long hi) {
        return lo + rng.nextLong(hi - lo + 1);
    }

    /** A uniformly drawn int in {@code [0, bound)} (live only). */
    public int nextInt(int bound) {
        return rng.nextInt(bound);
    }

    /** A uniformly drawn long (live only). */
    public long nextLong() {
        return rng.nextLong();
    }

    /** True with probability {@code p} (live only). */
    public boolean chance(double p) {
        return rng.nextDouble() < p;
    }

    /** Records a timeline event when capturing. */
    public void event(String thread, TimelineEvent.Type type, long offset, long length, long writeId, String note) {
        if (events != null) {
            events.add(new TimelineEvent(now, thread, type, offset, length, writeId, note));
        }
    }

    /** The captured timeline (empty unless capturing). */
    public List<TimelineEvent> events() {
        return events == null ? List.of() : events;
    }

    /** The operation log of a live execution. */
    public List<Op> log() {
        return log == null ? List.of() : log;
    }

    /**
     * Runs the live loop until nothing is scheduled, {@code maxOps} ops ran, or an op asked to stop.
     */
    public void run(World world, long maxOps) {
        world.start();
        while (!stopRequested && executed < maxOps) {
            Op op = queue.poll();
            if (op == null) {
                break;
            }
            now = op.time;
            if (!op.ready(world)) {
                parked.add(op);
                continue;
            }
            execute(op, world);
            retryParked(world, maxOps);
        }
    }

    private void retryParked(World world, long maxOps) {
        boolean progress = true;
        while (progress && !stopRequested && executed < maxOps && !parked.isEmpty()) {
            progress = false;
            for (int i = 0; i < parked.size(); i++) {
                Op op = parked.get(i);
                if (op.ready(world)) {
                    parked.remove(i);
                    op.time = now;
                    execute(op, world);
                    progress = true;
                    break;
                }
            }
        }
    }

    /** Replays {@code ops} in order, skipping those that are not ready, until one asks to stop. */
    public void replay(World world, List<Op> ops) {
        for (Op op : ops) {
            if (stopRequested) {
                break;
            }
            now = op.time;
            if (op.ready(world)) {
                execute(op, world);
            }
        }
    }

    private void execute(Op op, World world) {
        if (op instanceof Timer) {
            op.apply(world);
            return;
        }
        executed++;
        if (log != null) {
            if (log.size() < LOG_LIMIT) {
                log.add(op);
            } else {
                logOverflow = true;
            }
        }
        op.apply(world);
    }
}
