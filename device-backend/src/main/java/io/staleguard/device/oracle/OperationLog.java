package io.staleguard.device.oracle;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.TimelineEvent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;

/**
 * A bounded ring of the most recent {@link TimelineEvent}s of a device, attached to violations so
 * that a report can draw the interleaving that produced them.
 *
 * <p>Appending is allocation-free (the event's fields are stored into preallocated slots; the
 * record is only built when a snapshot is taken), so the log can stay on in soaks. A writer claims
 * its slot with a CAS; it only ever waits for a writer a whole ring behind it on the same slot.
 * When the ring is full the oldest events are overwritten. Readers never block writers; a slot
 * being overwritten while a snapshot is taken is skipped rather than returned half-written.
 *
 * <p>The ring is allocated in segments of 256 events, each on its first
 * append, so a device that logs little does not zero the whole ring (576 KiB by default) when it
 * is made. A segment, once there, is never replaced.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class OperationLog {

    /** Default number of events kept. */
    public static final int DEFAULT_CAPACITY = 8192;

    /** Default number of events {@link #around} attaches to one violation. */
    public static final int DEFAULT_AROUND = 32;

    private static final TimelineEvent.Type[] TYPES = TimelineEvent.Type.values();
    private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);

    // Constants, not fields: append's index arithmetic then costs no loads (a ring smaller than a
    // segment has one segment of its own size, and its indices never reach the shift).
    private static final int SEGMENT_SHIFT = 8;
    static final int SEGMENT_EVENTS = 1 << SEGMENT_SHIFT;
    private static final int SEGMENT_MASK = SEGMENT_EVENTS - 1;
    private static final VarHandle SEGMENT = MethodHandles.arrayElementVarHandle(Segment[].class);

    private final int mask;
    private final AtomicLong next = new AtomicLong();
    private volatile boolean enabled = true;

    // One cache line per event: slot i's longs are slots[i*8 ..]: seq, time, offset, length,
    // writeId, type. seq = 2n+2 when event n is complete, odd while being written.
    // Its references are refs[i*2], refs[i*2+1]: thread, note.
    private static final int STRIDE = 8;
    private final Segment[] segments;

    /** {@code events} consecutive slots of the ring. */
    private static final class Segment {
        final long[] slots;
        final Object[] refs;

        Segment(int events) {
            slots = new long[events * STRIDE];
            refs = new Object[events * 2];
        }
    }

    /** A log keeping the last {@value #DEFAULT_CAPACITY} events. */
    public OperationLog() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * A log keeping the last {@code capacity} events, rounded up to a power of two.
     *
     * @throws IllegalArgumentException if {@code capacity} is not in [1, 2^24]
     */
    public OperationLog(int capacity) {
        if (capacity < 1 || capacity > (1 << 24)) {
            throw new IllegalArgumentException("capacity must be in [1, 16777216], was " + capacity);
        }
        int size = Integer.highestOneBit(capacity);
        if (size < capacity) {
            size <<= 1;
        }
        mask = size - 1;
        segments = new Segment[Math.max(1, size >>> SEGMENT_SHIFT)];
    }

    /** The number of events kept (a power of two). */
    public int capacity() {
        return mask + 1;
    }

    /** Turns appending on or off; when off, {@link #append} returns at once. On by default. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** Whether appending is on. */
    public boolean isEnabled() {
        return enabled;
    }

    /** Total number of events appended since creation (or the last {@link #clear()}). */
    public long appended() {
        return next.get();
    }

    /** Appends one event. */
    public void append(TimelineEvent event) {
        Objects.requireNonNull(event, "event");
        append(event.time(), event.thread(), event.type(), event.offset(), event.length(), event.writeId(),
                event.note());
    }

    /**
     * Appends one event without allocating. Arguments are those of {@link TimelineEvent}.
     */
    public void append(long time, String thread, TimelineEvent.Type type, long offset, long length, long writeId,
                       String note) {
        if (!enabled) {
            return;
        }
        long n = next.getAndIncrement();
        int ring = (int) (n & mask);
        Segment segment = segments[ring >>> SEGMENT_SHIFT];
        if (segment == null) {
            segment = allocate(ring >>> SEGMENT_SHIFT);
        }
        long[] slots = segment.slots;
        int i = ring & SEGMENT_MASK;
        int b = i * STRIDE;
        long writing = 2 * n + 1;
        // Claim the slot. Two writers a whole ring apart can reach it together (one preempted mid-write):
        // without the claim their fields would interleave and the later stamp would publish a torn event.
        while (true) {
            long current = (long) SEQ.getVolatile(slots, b);
            if (current >= writing) {
                return;   // a later event has the slot: this one would be overwritten anyway
            }
            if ((current & 1) != 0) {
                Thread.onSpinWait();   // an older event is being written; it finishes in a few stores
                continue;
            }
            if (SEQ.compareAndSet(slots, b, current, writing)) {
                break;
            }
        }
        slots[b + 1] = time;
        slots[b + 2] = offset;
        slots[b + 3] = length;
        slots[b + 4] = writeId;
        slots[b + 5] = type.ordinal();
        Object[] refs = segment.refs;
        refs[2 * i] = thread;
        refs[2 * i + 1] = note;
        SEQ.setRelease(slots, b, writing + 1);
    }

    private Segment allocate(int k) {
        Segment made = new Segment(Math.min(mask + 1, SEGMENT_EVENTS));
        Segment there = (Segment) SEGMENT.compareAndExchange(segments, k, (Segment) null, made);
        return there == null ? made : there;
    }

    /** The retained events, oldest first. */
    public List<TimelineEvent> snapshot() {
        return collect(Long.MIN_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE, false);
    }

    /**
     * The most recent events (at most {@code max}, oldest first) whose byte range overlaps
     * {@code [offset, offset + length)}. Events with a zero length (flushes, notes) are included:
     * they matter to every range.
     */
    public List<TimelineEvent> around(long offset, long length, int max) {
        if (max <= 0) {
            return List.of();
        }
        return collect(offset, offset + Math.max(length, 1), max, true);
    }

    /** Forgets every event. Not atomic with respect to concurrent appends. */
    public void clear() {
        for (int k = 0; k < segments.length; k++) {
            Segment segment = (Segment) SEGMENT.getVolatile(segments, k);
            if (segment == null) {
                continue;
            }
            for (int i = 0; i < segment.slots.length / STRIDE; i++) {
                SEQ.setVolatile(segment.slots, i * STRIDE, 0L);
            }
        }
        next.set(0);
    }

    private List<TimelineEvent> collect(long from, long to, int max, boolean filter) {
        long end = next.get();
        long start = Math.max(0, end - capacity());
        ArrayList<TimelineEvent> out = new ArrayList<>(Math.min(max, 64));
        for (long n = end - 1; n >= start && out.size() < max; n--) {
            int ring = (int) (n & mask);
            Segment segment = (Segment) SEGMENT.getAcquire(segments, ring >>> SEGMENT_SHIFT);
            if (segment == null) {
                continue;
            }
            long[] slots = segment.slots;
            Object[] refs = segment.refs;
            int i = ring & SEGMENT_MASK;
            int b = i * STRIDE;
            long expect = 2 * n + 2;
            if ((long) SEQ.getAcquire(slots, b) != expect) {
                continue;
            }
            long time = slots[b + 1];
            long off = slots[b + 2];
            long len = slots[b + 3];
            long wid = slots[b + 4];
            int type = (int) slots[b + 5];
            Object thread = refs[2 * i];
            Object note = refs[2 * i + 1];
            VarHandle.loadLoadFence();
            if ((long) SEQ.getAcquire(slots, b) != expect) {
                continue;
            }
            if (filter && len != 0 && (off >= to || off + len <= from)) {
                continue;
            }
            out.add(new TimelineEvent(time, (String) thread, TYPES[type], off, len, wid, (String) note));
        }
        Collections.reverse(out);
        return out;
    }
}
