package io.staleguard.device.sim.kernel.internal;

/**
 * The mutable state one execution (live or replay) runs against: the kernel stack plus the
 * workload's bookkeeping. A fresh world is built for every replay.
 */
public abstract class World {

    /** The scheduler running this world. */
    public final Sim sim;
    /** The simulated kernel stack. */
    public final KernelStack k;

    protected World(Sim sim, KernelStack k) {
        this.sim = sim;
        this.k = k;
    }

    /** Starts the workload's actors (live only): schedules their first ops. */
    public abstract void start();

    /** Called after the run: flags outstanding transfers and similar end-of-test checks. */
    public void finish() {
    }
}
