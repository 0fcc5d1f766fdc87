package io.staleguard.device.core.internal;

/**
 * Where the front end's stages ask whether a fault fires: a switch read on the hot path, and the
 * {@link FaultHandler} behind it. Every stage reads {@link #active()} once per operation (a volatile
 * load, a plain load on x86) and calls nothing else while it is false, so a device whose faults
 * are off pays one load per stage; real backends get {@link #NONE}, which is never on.
 */
public final class FaultPoint {

    /** No faults, ever: the point of real backends. */
    public static final FaultPoint NONE = new FaultPoint(null);

    private final FaultHandler handler;
    private volatile boolean active;

    /** A point that {@code handler} switches with {@link #activate}. */
    public FaultPoint(FaultHandler handler) {
        this.handler = handler;
    }

    /** Whether a fault may fire now; false: no other method of the point is called. */
    public boolean active() {
        return active;
    }

    /** Called by the handler whenever what it has armed changes. */
    public void activate(boolean on) {
        if (handler == null && on) {
            throw new IllegalStateException("the fault point of a backend without fault injection cannot be switched on");
        }
        this.active = on;
    }

    /** The handler; only called while {@link #active()}. */
    public FaultHandler handler() {
        return handler;
    }
}
