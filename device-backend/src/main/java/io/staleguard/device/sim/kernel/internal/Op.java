package io.staleguard.device.sim.kernel.internal;

/**
 * One atomic step of the simulated stack, executed by the {@link Sim} at a virtual instant: a
 * system call's kernel step, a device DMA, an interrupt, a kworker item, a read-ahead I/O.
 *
 * <p>An op is immutable once it has run in the live execution (only {@link #time} and the queue
 * sequence are assigned, by the scheduler), so that a recorded list of ops can be replayed, and any
 * sub-list of it replayed, against a fresh {@link World}. Everything an op needs is in its fields
 * (ids, offsets, data seeds); mutable state lives in the world, keyed by those ids.
 *
 * <p>{@link #ready} says whether the op can run now. In the live execution an op that is not ready
 * waits (a blocked thread: a page lock, {@code wait_on_page_writeback}, an entry lock); in a replay
 * it is skipped, so that a shrunk log is still an execution the model allows.
 */
public abstract class Op {

    /** Virtual nanoseconds at which the op ran (or is scheduled to run). */
    long time;
    /** Tie-break for ops scheduled at the same instant: scheduling order. */
    long seq;
    /** The simulated thread executing the op ("writer", "reader", "irq", "kworker", "dma"). */
    public final String thread;

    protected Op(String thread) {
        this.thread = thread;
    }

    /** The virtual instant the op ran at. */
    public final long time() {
        return time;
    }

    /** Whether the op can run in the current state of {@code w}. */
    public boolean ready(World w) {
        return true;
    }

    /** Runs the op: changes the world, reports to the detectors, schedules follow-ups (live only). */
    public abstract void apply(World w);
}
