package io.staleguard.junit.internal;

import io.staleguard.device.BlockDevice;
import io.staleguard.device.FileLocator;
import io.staleguard.device.Seeds;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.ViolationLog;
import io.staleguard.device.core.VerifyingDevice;
import io.staleguard.device.fs.Route;
import io.staleguard.device.fs.RoutingFileSystemProvider;
import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.sim.FiredFault;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.junit.internal.fs.VerifyingFileSystem;
import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One device the extension made for a test or a test class: the backend's device or verifying filesystem, the
 * views handed out, and what it has found. Closing it closes the views, then the device, then the backend's
 * temporary files.
 *
 * <p>On SIMULATED a {@code Path} is a directory of a {@link SimulatedFileSystem} on the device itself, so the
 * device's detectors, hooks and oracle judge file I/O, and every other view of the device reaches the files.
 *
 * <p>With the {@link RoutingFileSystemProvider} installed, an injected {@code Path} is a path of the default
 * filesystem, routed to the device's filesystem (the simulated one, or the verifying view of FILE and LOOP) until
 * the device's views close, so paths that code builds from its name are judged too.
 */
public final class ManagedDevice implements AutoCloseable {

    /** The directory the test's {@code Path} names on a simulated filesystem. */
    static final String SIMULATED_DIRECTORY = "/test";

    private final String label;
    private final DeviceSpec spec;
    private final long seed;
    private final BlockDevice raw;
    private final BlockDevice counted;
    private final VerifyingFileSystem fs;
    private final AutoCloseable cleanup;
    private SimulatedFileSystem simulatedFs;
    private Path simulatedDir;
    private Route route;
    private final Deque<AutoCloseable> views = new ArrayDeque<>();

    ManagedDevice(String label, DeviceSpec spec, long seed, BackendFactory.Opened opened) {
        this.label = label;
        this.spec = spec;
        this.seed = seed;
        this.raw = opened.device();
        // Every backend's device verifies; a view that did not would hide force and close from its judgement.
        this.counted = raw instanceof VerifyingDevice v ? new CountingDevice(v) : raw;
        this.fs = opened.hostDirectory() == null ? null
                : new VerifyingFileSystem(RoutingFileSystemProvider.platformPath(opened.hostDirectory()),
                        spec.blockSize(), spec.protection(),
                        Seeds.derive(seed, "fs"), "staleguard-" + FileBackend.sanitize(label));
        this.cleanup = opened.cleanup();
    }

    /** Opens the device of {@code spec} on its backend. */
    static ManagedDevice open(String label, DeviceSpec spec, long seed) throws Exception {
        BackendFactory.Opened opened = Backends.of(spec.backend()).open(spec, seed, label);
        ManagedDevice device = new ManagedDevice(label, spec, seed, opened);
        if (spec.pathRoot() && device.raw instanceof SimulatedDevice) {
            try {
                device.simulatedFileSystem();
            } catch (IOException | RuntimeException e) {
                Closing.closeAll(java.util.Arrays.asList(device.raw, device.cleanup));
                throw e;
            }
        }
        return device;
    }

    /** Whether the test's {@code Path} of this device is on its simulated filesystem. */
    synchronized boolean hasSimulatedFileSystem() {
        return simulatedFs != null;
    }

    /**
     * The simulated filesystem on this device, made on first use with a fresh {@value #SIMULATED_DIRECTORY}
     * directory; null unless the device is a simulated one.
     */
    synchronized SimulatedFileSystem simulatedFileSystem() throws IOException {
        if (simulatedFs == null && raw instanceof SimulatedDevice sim) {
            SimulatedFileSystem made = SimulatedFileSystem.on(sim);
            simulatedDir = Files.createDirectory(made.getPath(SIMULATED_DIRECTORY));
            simulatedFs = made;
        }
        return simulatedFs;
    }

    /** "device 'log'" or "device of parameter 'x' of ...". */
    public String label() {
        return label;
    }

    /** The spec. */
    public DeviceSpec spec() {
        return spec;
    }

    /** The device's seed. */
    public long seed() {
        return seed;
    }

    /** The block device (counting view), or null for a Path-only device. */
    public BlockDevice blockDevice() {
        return counted;
    }

    /** The backend's device itself, unwrapped, or null for a Path-only device. */
    public BlockDevice rawDevice() {
        return raw;
    }

    /** The value to inject into a point of {@code type}. */
    synchronized Object view(Class<?> type, boolean direct) throws Exception {
        if (type == Path.class) {
            if (fs != null) {
                return routed(fs.root());
            }
            simulatedFileSystem();
            if (simulatedDir == null) {
                throw new IllegalStateException("the " + label + " has no filesystem for a Path");
            }
            return routed(simulatedDir);
        }
        if (InjectableTypes.isSimulatedDevice(type)) {
            return raw;
        }
        if (type == BlockDevice.class) {
            return counted;
        }
        if (type == FileChannel.class) {
            FileChannel ch = DeviceViews.fileChannel(counted, direct);
            views.push(ch);
            return ch;
        }
        if (type == AsynchronousFileChannel.class) {
            AsynchronousFileChannel ch = DeviceViews.asyncChannel(counted, direct);
            views.push(ch);
            return ch;
        }
        throw new IllegalArgumentException("cannot inject " + type.getName());
    }

    /**
     * {@code target} as the test sees it: itself without routing; with it, the routed host directory, made on first
     * use. On FILE and LOOP that is the host directory the verifying view wraps; on SIMULATED a host directory that
     * does not exist, so that {@code java.io} under it fails instead of writing to the host.
     */
    private Path routed(Path target) {
        Optional<RoutingFileSystemProvider> routing = RoutingFileSystemProvider.installed();
        if (routing.isEmpty()) {
            return target;
        }
        if (route == null || !route.isOpen()) {
            route = fs != null ? routing.get().route(fs.hostRoot(), target)
                    : routing.get().routeAbsentDirectory(FileBackend.sanitize(label), target);
            if (fs == null && raw instanceof SimulatedDevice sim) {
                FileLocator own = RoutedFileNames.unwrap(sim.hooks().files());
                if (own != null) {
                    sim.locateFiles(new RoutedFileNames(own, target.toString(), route.hostDirectory().toString()));
                }
            }
        }
        return route.hostDirectory();
    }

    /** The route of this device's {@code Path}, or null without routing or before a {@code Path} was injected. */
    synchronized Route route() {
        return route;
    }

    /** A snapshot of what has been found so far, to count a test's findings from. */
    Baseline baseline() {
        return new Baseline(counts(), retained().size(), raw instanceof SimulatedDevice sim
                ? sim.faults().fired().size() : 0);
    }

    /** Flags what is outstanding at the end of a test (short transfers) on a block device. */
    void finish() {
        if (raw != null) {
            raw.finish();
        }
    }

    /** What was found since {@code since} (null: since the device was made). */
    SourceFindings findings(Baseline since) {
        Map<ViolationKind, Long> counts = counts();
        List<Violation> all = retained();
        if (since != null) {
            since.counts().forEach((k, n) -> counts.merge(k, -n, Long::sum));
            counts.values().removeIf(n -> n <= 0);
            all = all.subList(Math.min(since.retained(), all.size()), all.size());
        }
        long ops = raw instanceof VerifyingDevice v ? v.operations() : fs != null ? fs.operations() : -1;
        long bytes = raw instanceof VerifyingDevice v ? v.bytesTransferred() : fs != null ? fs.bytes() : -1;
        String describe = spec.describe() + (raw != null ? " [" + raw.describe() + "]" : "")
                + (route != null ? " [Path routed from " + route.hostDirectory() + "]" : "");
        return new SourceFindings(label, describe, spec.backend().name(), spec.preset(), seed, ops, bytes, counts,
                all, faults(since));
    }

    /** The simulated device's faults since {@code since}: its configured spec and what fired; null off SIMULATED. */
    private SourceFaults faults(Baseline since) {
        if (!(raw instanceof SimulatedDevice sim)) {
            return null;
        }
        List<FiredFault> fired = sim.faults().fired();
        fired = fired.subList(Math.min(since == null ? 0 : since.fired(), fired.size()), fired.size());
        return new SourceFaults(spec.faults().toString(), fired.size(),
                fired.subList(0, Math.min(fired.size(), TestReportDocument.MAX_FAULTS)));
    }

    private Map<ViolationKind, Long> counts() {
        Map<ViolationKind, Long> counts = new EnumMap<>(ViolationKind.class);
        if (raw != null) {
            counts.putAll(raw.violations().counts());
        }
        if (fs != null) {
            fs.counts().forEach((k, n) -> counts.merge(k, n, Long::sum));
        }
        return counts;
    }

    private List<Violation> retained() {
        if (raw != null && fs == null) {
            return raw.violations().all();
        }
        if (fs != null && raw == null) {
            return fs.violations();
        }
        ViolationLog log = raw.violations();
        List<Violation> all = new java.util.ArrayList<>(log.all());
        all.addAll(fs.violations());
        return all;
    }

    /**
     * Closes the injected views (channels) and the simulated filesystem with the channels still open on it, which
     * flags their outstanding short transfers.
     */
    synchronized void closeViews() {
        if (route != null) {
            route.close();
        }
        while (!views.isEmpty()) {
            try {
                views.pop().close();
            } catch (Exception ignored) {
                // A view the test already closed, or one that failed: the device's log has what matters.
            }
        }
        if (simulatedFs != null && simulatedFs.isOpen()) {
            try {
                simulatedFs.close();
            } catch (IOException ignored) {
                // Closing flags what the files left outstanding on the device; a failure to close adds nothing.
            }
        }
    }

    @Override
    public void close() throws Exception {
        closeViews();
        Closing.closeAll(java.util.Arrays.asList(fs, raw, cleanup));
    }

    /**
     * What a device had found at some instant.
     *
     * @param counts   counts per kind
     * @param retained number of retained violations
     * @param fired    number of faults fired on a simulated device
     */
    record Baseline(Map<ViolationKind, Long> counts, int retained, int fired) {
    }
}
