package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.fs.internal.FsPath;
import io.staleguard.device.fs.internal.Inode;
import io.staleguard.device.fs.internal.PersistenceEvents;
import io.staleguard.device.fs.internal.SimulatedFileSystemProvider;
import io.staleguard.device.fs.internal.Volume;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.internal.DeviceFaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;

/**
 * The crash target of a simulated filesystem. Arming flushes the device and reads the tree as the base; the
 * volume's {@link PersistenceLog} records the workload, with freed blocks quarantined. Entering a state first closes
 * every channel the workload left open (a volume restore onto its own namespace), writes the state's tree through
 * the filesystem's API ({@link TreeMaterializer}) and power-cycles the device onto its own media, so the recovery
 * starts with an empty page cache and a restarted history oracle. Leaving writes the workload's end tree back.
 *
 * <p>Writing a whole tree per state costs O(bytes of the image); the device overlay over the frozen base and a
 * volume restore of the state's namespace cost O(blocks that differ) and replace it.
 */
public final class FsCrashTarget implements CrashTarget {

    private final SimulatedFileSystem fs;
    private final Volume volume;
    private PersistenceLog log;
    private TreeImage base;
    private TreeImage end;
    private boolean workloadClosed;

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
        fs.device().flush();
        base = TreeMaterializer.read(fs.root());
        log = PersistenceLog.on(fs.device());
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
        // Injected faults (issue #13) fire in the recorded workload only: the end state, the crash states and
        // their recovery see honest media, until leave() puts the end state back.
        DeviceFaults.of(fs.device()).pause();
        fs.device().flush();
        end = TreeMaterializer.read(fs.root());
        return new Recorded(log.toCrashLog(), base);
    }

    @Override
    public void abandon() {
        stopRecording();
        DeviceFaults.of(fs.device()).resume();
    }

    private void stopRecording() {
        volume.events(PersistenceEvents.NONE);
        volume.quarantine(false);
    }

    @Override
    public void enter(int state, TreeImage image) throws IOException {
        materialize(image);
    }

    @Override
    public void leave() throws IOException {
        try {
            if (end != null) {
                materialize(end);
            }
        } finally {
            DeviceFaults.of(fs.device()).resume();
        }
    }

    private void materialize(TreeImage image) throws IOException {
        SimulatedDevice dev = fs.device();
        if (!workloadClosed) {
            // The workload's channels die with the power; the namespace stays until the tree is rewritten.
            dev.flush();
            volume.restore(volume.snapshot());
            workloadClosed = true;
        }
        TreeMaterializer.write(fs.root(), image);
        dev.flush();
        dev.powerCycle(dev.freezeMedia());
    }
}
