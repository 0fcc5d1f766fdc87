package io.staleguard.device.oracle;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.FileLocation;
import io.staleguard.device.FileLocator;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.ViolationLog;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apiguardian.api.API;

/**
 * The thread-safe sink every detector records violations into.
 *
 * <p>Counts per kind are exact. Only the first {@link #retainedLimit()} violations are kept in
 * full, so memory stays bounded however many are recorded (an 8-hour soak that finds a bug every
 * millisecond still holds steady).
 *
 * <p><b>Fail-fast.</b> When {@link #setFailFast(boolean) fail-fast} is on, {@link #record} throws
 * an {@link IoConsistencyException} for every violation of a failing kind (by default the kinds
 * whose {@link ViolationKind#failsByDefault()} is true), after the violation has been counted,
 * retained and passed to the listeners.
 *
 * <p><b>Listeners</b> registered with {@link #onViolation} run on the recording thread, in
 * registration order, with no lock held. An exception thrown by a listener is caught so that it
 * cannot break the I/O path that recorded the violation; the first one is available from
 * {@link #firstListenerFailure()}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ViolationRecorder implements ViolationLog {

    /** Default number of violations retained in full. */
    public static final int DEFAULT_RETAINED_LIMIT = 1000;

    /** A listener registration; closing it removes the listener. */
    public interface Subscription extends AutoCloseable {
        /** Removes the listener; idempotent. */
        @Override
        void close();
    }

    private static final ViolationKind[] KINDS = ViolationKind.values();

    private final int retainedLimit;
    private final LongAdder[] counts = new LongAdder[KINDS.length];
    private final Object retainLock = new Object();
    private final ArrayList<Violation> retained = new ArrayList<>();
    /** Mirrors retained.size() so that a full recorder records without taking the lock. */
    private volatile int retainedSize;
    private final CopyOnWriteArrayList<Consumer<Violation>> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder listenerFailures = new LongAdder();
    private final AtomicReference<RuntimeException> firstListenerFailure = new AtomicReference<>();
    private volatile boolean failFast;
    private volatile Set<ViolationKind> failingKinds;
    private volatile UnaryOperator<Violation> classifier = UnaryOperator.identity();
    private volatile FileLocator locator;

    /** A recorder retaining the first {@value #DEFAULT_RETAINED_LIMIT} violations. */
    public ViolationRecorder() {
        this(DEFAULT_RETAINED_LIMIT);
    }

    /**
     * A recorder retaining the first {@code retainedLimit} violations in full.
     *
     * @throws IllegalArgumentException if {@code retainedLimit} is negative
     */
    public ViolationRecorder(int retainedLimit) {
        if (retainedLimit < 0) {
            throw new IllegalArgumentException("retainedLimit must be >= 0, was " + retainedLimit);
        }
        this.retainedLimit = retainedLimit;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
        EnumSet<ViolationKind> failing = EnumSet.noneOf(ViolationKind.class);
        for (ViolationKind k : KINDS) {
            if (k.failsByDefault()) {
                failing.add(k);
            }
        }
        this.failingKinds = Set.copyOf(failing);
    }

    /**
     * Records one violation: counts it, retains it if fewer than {@link #retainedLimit()} are
     * retained, passes it to every listener, then, if fail-fast is on and its kind is failing,
     * throws.
     *
     * @throws IoConsistencyException when fail-fast is on and the kind is failing
     */
    public void record(Violation violation) {
        Objects.requireNonNull(violation, "violation");
        violation = Objects.requireNonNull(classifier.apply(violation), "classifier result");
        FileLocator files = locator;
        // A violation that covers no device bytes (a crash-state verdict) is not at a device offset: locating its
        // offset 0 would name whatever file holds the device's first block.
        if (files != null && violation.location() == null && violation.length() > 0 && wantsDetail()) {
            FileLocation at = files.locate(violation.offset());
            if (at != null) {
                violation = violation.locatedAt(at);
            }
        }
        counts[violation.kind().ordinal()].increment();
        if (retainedSize < retainedLimit) {
            synchronized (retainLock) {
                if (retained.size() < retainedLimit) {
                    retained.add(violation);
                    retainedSize = retained.size();
                }
            }
        }
        for (Consumer<Violation> listener : listeners) {
            try {
                listener.accept(violation);
            } catch (RuntimeException e) {
                listenerFailures.increment();
                firstListenerFailure.compareAndSet(null, e);
            }
        }
        if (failFast && failingKinds.contains(violation.kind())) {
            throw new IoConsistencyException(violation);
        }
    }

    /**
     * Sets a function applied to every violation before it is counted, for backends that know
     * more than the detector: a real file backend turns what the oracle sees on a range that
     * mmap stores and O_DIRECT writes both touched into
     * {@link ViolationKind#UNSUPPORTED_MIXING}. The default is the identity.
     */
    public void setClassifier(UnaryOperator<Violation> classifier) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
    }

    /**
     * Sets the filesystem's map from device offsets to files, or null for none (the default): a violation whose
     * device offset a file holds is then recorded {@linkplain Violation#locatedAt located} in that file. Counted
     * violations that nobody would look at in full are not located.
     */
    public void setLocator(FileLocator locator) {
        this.locator = locator;
    }

    /** The filesystem's map from device offsets to files, or null. */
    public FileLocator locator() {
        return locator;
    }

    /**
     * Whether a violation recorded now would be looked at in full (retained, passed to a listener
     * or thrown). When false, detectors may skip costly extras such as the timeline; the count is
     * kept either way.
     */
    boolean wantsDetail() {
        return retainedSize < retainedLimit || failFast || !listeners.isEmpty();
    }

    /** Turns fail-fast on or off (off by default). */
    public void setFailFast(boolean failFast) {
        this.failFast = failFast;
    }

    /** Whether fail-fast is on. */
    public boolean isFailFast() {
        return failFast;
    }

    /**
     * The kinds that fail a test: fail-fast throws only for these, and {@link #failing()} counts
     * only these. Defaults to the kinds whose {@link ViolationKind#failsByDefault()} is true.
     */
    public void setFailingKinds(Set<ViolationKind> kinds) {
        Objects.requireNonNull(kinds, "kinds");
        this.failingKinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    }

    /** The kinds that fail a test (an immutable set). */
    public Set<ViolationKind> failingKinds() {
        return failingKinds;
    }

    /**
     * Registers a listener called for every recorded violation, on the recording thread, with no
     * lock held.
     *
     * @return a subscription whose {@code close()} removes the listener
     */
    public Subscription onViolation(Consumer<Violation> listener) {
        Objects.requireNonNull(listener, "listener");
        // Wrap so that the same consumer registered twice is removed once per subscription.
        Consumer<Violation> wrapper = listener::accept;
        listeners.add(wrapper);
        return () -> listeners.remove(wrapper);
    }

    /** How many times a listener threw (each throw was caught). */
    public long listenerFailures() {
        return listenerFailures.sum();
    }

    /** The first exception a listener threw, or null. */
    public RuntimeException firstListenerFailure() {
        return firstListenerFailure.get();
    }

    /**
     * Forgets every recorded violation and count (listeners and settings stay). Not atomic with
     * respect to concurrent {@link #record} calls: a violation recorded concurrently may or may
     * not survive the reset.
     */
    public void reset() {
        synchronized (retainLock) {
            retained.clear();
            retainedSize = 0;
        }
        for (LongAdder c : counts) {
            c.reset();
        }
    }

    @Override
    public List<Violation> all() {
        synchronized (retainLock) {
            return List.copyOf(retained);
        }
    }

    /** Exact counts of the kinds recorded at least once. */
    @Override
    public Map<ViolationKind, Long> counts() {
        EnumMap<ViolationKind, Long> map = new EnumMap<>(ViolationKind.class);
        for (ViolationKind k : KINDS) {
            long n = counts[k.ordinal()].sum();
            if (n != 0) {
                map.put(k, n);
            }
        }
        return map;
    }

    @Override
    public long count(ViolationKind kind) {
        return counts[kind.ordinal()].sum();
    }

    @Override
    public long total() {
        long n = 0;
        for (LongAdder c : counts) {
            n += c.sum();
        }
        return n;
    }

    /** Number of recorded violations of a failing kind (see {@link #setFailingKinds}). */
    public long failing() {
        long n = 0;
        for (ViolationKind k : failingKinds) {
            n += counts[k.ordinal()].sum();
        }
        return n;
    }

    /** Number of violations counted but not retained in full. */
    public long dropped() {
        return Math.max(0, total() - retainedSize);
    }

    @Override
    public int retainedLimit() {
        return retainedLimit;
    }

    @Override
    public String toString() {
        return "ViolationRecorder" + counts();
    }
}
