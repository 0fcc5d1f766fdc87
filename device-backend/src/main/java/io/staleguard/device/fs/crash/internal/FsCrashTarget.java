package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;

/**
 * The crash target of a simulated filesystem. The base is the tree at arm time after a device flush; a crash state
 * is written through the filesystem's API ({@link TreeMaterializer}) and the device then power-cycles onto its own
 * media, so the recovery starts with an empty page cache and a restarted history oracle. Recording needs the
 * volume's persistence log.
 */
public final class FsCrashTarget implements CrashTarget {

    private final SimulatedFileSystem fs;
    private TreeImage base;
    private TreeImage end;

    private FsCrashTarget(SimulatedFileSystem fs) {
        this.fs = fs;
    }

    /** The target of {@code fs}. */
    public static CrashTarget of(SimulatedFileSystem fs) {
        return new FsCrashTarget(fs);
    }

    @Override
    public void arm() throws IOException {
        fs.device().flush();
        base = TreeMaterializer.read(fs.root());
        throw new UnsupportedOperationException("crash recording on " + fs + " needs the volume's persistence log, "
                + "which this build does not have yet");
    }

    @Override
    public long acknowledge(String key, String thread) {
        throw new IllegalStateException("not recording");
    }

    @Override
    public void claim(String path, long offset, long length, boolean wholeFile, String thread) {
        throw new IllegalStateException("not recording");
    }

    @Override
    public Recorded finish() {
        throw new IllegalStateException("not recording");
    }

    @Override
    public void abandon() {
    }

    @Override
    public void enter(int state, TreeImage image) throws IOException {
        materialize(image);
    }

    @Override
    public void leave() throws IOException {
        if (end != null) {
            materialize(end);
        }
    }

    private void materialize(TreeImage image) throws IOException {
        TreeMaterializer.write(fs.root(), image);
        SimulatedDevice dev = fs.device();
        dev.flush();
        dev.powerCycle(dev.freezeMedia());
    }

    TreeImage base() {
        return base;
    }
}
