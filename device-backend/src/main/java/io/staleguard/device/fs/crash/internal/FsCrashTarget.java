package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.fs.internal.FsPath;
import io.staleguard.device.fs.internal.Inode;
import io.staleguard.device.fs.internal.NamespaceImage;
import io.staleguard.device.fs.internal.PersistenceEvents;
import io.staleguard.device.fs.internal.SimulatedFileSystemProvider;
import io.staleguard.device.fs.internal.Volume;
import io.staleguard.device.sim.MediaSnapshot;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.internal.DeviceFaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;

/**
 * The crash target of a simulated filesystem. Arming flushes the device, freezes its media (copy-on-write, no copy)
 * and takes the namespace as the base; the volume's {@link PersistenceLog} records the workload, with freed blocks
 * quarantined. Entering a state power-cycles the device onto the base media under an overlay of only the blocks in
 * which the state differs ({@link OverlayMount}), then makes the volume hold the state's namespace: the workload's
 * channels die with the power, and the page cache and the history oracle start empty ({@code CrashExplorer} suspends
 * the DMA delays for the recovery). A state costs O(blocks that differ). Leaving power-cycles back onto the workload's frozen end media and
 * namespace, as after a clean shutdown.
 */
public final class FsCrashTarget implements CrashTarget {

    private final SimulatedFileSystem fs;
    private final Volume volume;
    private PersistenceLog log;
    private MediaSnapshot baseMedia;
    private NamespaceImage baseNamespace;
    private MediaImageReader.Read base;
    private MediaSnapshot endMedia;
    private NamespaceImage endNamespace;
    /** Whether {@link #finish()} paused the device's injected faults, which {@link #leave()} resumes. */
    private boolean faultsPaused;
    private OverlayMount mount;

    private FsCrashTarget(SimulatedFileSystem fs) {
        this.fs = fs;
        this.volume = SimulatedFileSystemProvider.volumeOf(fs);
    }

    /** The target of {@code fs}. */
    public static CrashTarget of(SimulatedFileSystem fs) {
        return new FsCrashTarget(fs);
    }

    @Override
    public void arm() throws IOException {
        SimulatedDevice dev = fs.device();
        dev.flush();
        baseMedia = dev.freezeMedia();
        baseNamespace = volume.snapshot();
        base = MediaImageReader.read(baseNamespace, baseMedia, dev.logicalBlockSize());
        log = PersistenceLog.on(dev);
        volume.quarantine(true);
        volume.events(log);
    }

    @Override
    public long acknowledge(String key, String thread) {
        long t = log.acknowledge(key).time();
        fs.device().operationLog().append(new io.staleguard.device.TimelineEvent(t, thread,
                io.staleguard.device.TimelineEvent.Type.ACK, 0, 0, 0, "acknowledge '" + key + "'"));
        return t;
    }

    @Override
    public void claim(String path, long offset, long length, boolean wholeFile, String thread) throws IOException {
        FsPath p = FsPath.of(fs.getPath(path));
        Inode f;
        try {
            f = volume.inodeOf(p);
        } catch (NoSuchFileException e) {
            NoSuchFileException n = new NoSuchFileException(path, null, "Crash.acknowledge(" + path
                    + "): no such file at t=" + clock());
            n.initCause(e);
            throw n;
        }
        long len = wholeFile ? (f.isDirectory() ? 0 : Files.size(p)) : length;
        log.claim(path, f.number(), wholeFile ? 0 : offset, len, wholeFile);
    }

    private long clock() {
        var oracle = fs.device().oracle();
        return oracle != null ? oracle.instant() : System.nanoTime();
    }

    @Override
    public Recorded finish() throws IOException {
        stopRecording();
        SimulatedDevice dev = fs.device();
        // Injected faults (issue #13) fire in the recorded workload only: the end state, the crash states and
        // their recovery see honest media, until leave() puts the end state back.
        DeviceFaults.of(dev).pause();
        faultsPaused = true;
        dev.flush();
        endMedia = dev.freezeMedia();
        endNamespace = volume.snapshot();
        CrashLog recorded = log.toCrashLog();
        mount = new OverlayMount(base, baseNamespace, endNamespace,
                RecordedBlockMap.of(baseNamespace, recorded, dev.logicalBlockSize(),
                dev.capacity() / dev.logicalBlockSize()));
        return new Recorded(recorded, base.image());
    }

    @Override
    public void abandon() {
        stopRecording();
        resumeFaults();
    }

    private void resumeFaults() {
        if (faultsPaused) {
            faultsPaused = false;
            DeviceFaults.of(fs.device()).resume();
        }
    }

    private void stopRecording() {
        volume.events(PersistenceEvents.NONE);
        volume.quarantine(false);
    }

    @Override
    public void enter(int state, TreeImage image) {
        OverlayMount.Mount m = mount.of(image);
        SimulatedDevice dev = fs.device();
        dev.powerCycle(baseMedia, m.overlay());
        volume.restore(m.namespace());
    }

    @Override
    public void leave() {
        try {
            if (endMedia != null) {
                SimulatedDevice dev = fs.device();
                dev.powerCycle(endMedia);
                volume.restore(endNamespace);
            }
        } finally {
            resumeFaults();
        }
    }
}
