package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A crash target whose "recording" is a hand-made log (the stand-in for the volume's persistence log), and whose
 * states are written onto a real simulated filesystem, so recoveries open real channels on the device.
 */
final class LogTarget implements CrashTarget {

    final SimulatedFileSystem fs;
    private final CrashLog log;
    private final TreeImage base;
    private final int unit;
    final List<Integer> entered = new ArrayList<>();
    int acks;
    boolean left;

    LogTarget(SimulatedFileSystem fs, CrashLog log, TreeImage base, int unit) {
        this.fs = fs;
        this.log = log;
        this.base = base;
        this.unit = unit;
    }

    @Override
    public void arm() throws IOException {
        write(base);
    }

    @Override
    public long acknowledge(String key, String thread) {
        acks++;
        return 0;
    }

    @Override
    public void claim(String path, long offset, long length, boolean wholeFile, String thread) {
    }

    @Override
    public Recorded finish() {
        return new Recorded(log, base);
    }

    @Override
    public void abandon() {
    }

    @Override
    public void enter(int state, TreeImage image) throws IOException {
        entered.add(state);
        write(image);
    }

    @Override
    public void leave() throws IOException {
        left = true;
        write(new CrashImageBuilder(base, log, unit).live(log.end()));
    }

    private void write(TreeImage image) throws IOException {
        TreeWriter.write(fs.root(), image);
        SimulatedDevice dev = fs.device();
        dev.flush();
        dev.powerCycle(dev.freezeMedia());
    }
}
