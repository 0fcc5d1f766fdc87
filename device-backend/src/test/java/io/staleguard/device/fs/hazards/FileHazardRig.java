package io.staleguard.device.fs.hazards;

import io.staleguard.device.Seeds;
import io.staleguard.device.Violation;
import io.staleguard.device.fs.SimulatedFileSystem;
import io.staleguard.device.fs.internal.FsPath;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.kernel.KernelIoPath;
import io.staleguard.device.sim.kernel.KernelPreset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * A simulated filesystem on a {@link SimulatedDevice} with the simulated kernel of one preset, for the file-level
 * hazard programs: the seed (from {@code -Dstaleguard.seed}, else the test's default) drives the device's decisions
 * and the programs' data, and every failure message carries it with the one line that replays the test.
 */
final class FileHazardRig implements AutoCloseable {

    static final int BS = 4096;

    final long seed;
    final KernelPreset preset;
    final SimulatedDevice device;
    final SimulatedFileSystem fs;
    private final String test;

    private FileHazardRig(String test, long seed, KernelPreset preset, SimulatedDevice device) {
        this.test = test;
        this.seed = seed;
        this.preset = preset;
        this.device = device;
        this.fs = SimulatedFileSystem.on(device);
    }

    /** {@code test} is {@code Class#method}, for the reproduce line. */
    static FileHazardRig open(String test, long defaultSeed, KernelPreset preset) {
        return open(test, defaultSeed, preset, KernelIoPath.of(preset));
    }

    static FileHazardRig open(String test, long defaultSeed, KernelPreset preset, KernelIoPath path) {
        long seed = seed(defaultSeed);
        SimulatedDevice device = SimulatedDevice.builder().capacity(16 << 20).blockSize(BS).seed(seed)
                .ioPath(path).build();
        return new FileHazardRig(test, seed, preset, device);
    }

    static long seed(long defaultSeed) {
        String s = System.getProperty("staleguard.seed");
        return s == null || s.isBlank() ? defaultSeed : Seeds.parse(s);
    }

    /** What every assertion of a run says first: the preset, the seed and how to replay it. */
    String context() {
        return preset + ", seed " + Seeds.hex(seed) + "; reproduce: mvn -B -o -q test -pl device-backend -Dtest='"
                + test + "' -Dstaleguard.seed=" + Seeds.hex(seed) + " -Dsurefire.failIfNoSpecifiedTests=false";
    }

    String context(List<Violation> found) {
        return context() + "; violations: " + found;
    }

    /** The device offset of byte {@code fileOffset} of {@code p}, from the file's own extents. */
    long deviceOffset(Path p, long fileOffset) throws IOException {
        FsPath f = (FsPath) p;
        return f.volume().lookup(f).extents().deviceBlock(fileOffset / BS) * BS + fileOffset % BS;
    }

    /** A block-aligned direct buffer of {@code n} bytes, filled with the program's words for {@code version}. */
    ByteBuffer slot(int n, long version) {
        ByteBuffer b = ByteBuffer.allocateDirect(n + BS).alignedSlice(BS).limit(n);
        fill(b, version);
        return b;
    }

    void fill(ByteBuffer b, long version) {
        long word = Seeds.mix(seed ^ version);
        for (int i = 0; i + 8 <= b.limit(); i += 8) {
            b.putLong(i, word + i);
        }
        b.position(0);
    }

    @Override
    public void close() throws IOException {
        fs.close();
        device.close();
    }
}
