package io.staleguard.device.fs;

import io.staleguard.device.fs.internal.FsPath;
import io.staleguard.device.fs.internal.SimulatedFileSystemProvider;
import io.staleguard.device.fs.internal.Volume;
import io.staleguard.device.sim.SimulatedDevice;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link FileSystem} whose files live on the blocks of a {@link SimulatedDevice}, so that storage code that
 * works with {@link Path}s, {@link java.nio.file.Files} and {@link java.nio.channels.FileChannel} runs on the
 * simulated device unchanged, with every byte judged by the device's protection information, history oracle and
 * short-transfer tracker.
 *
 * <pre>{@code
 * SimulatedDevice device = SimulatedDevice.builder().capacity(1L << 30).build();
 * try (SimulatedFileSystem fs = SimulatedFileSystem.on(device)) {
 *     Path wal = fs.getPath("/db/wal.log");
 *     Files.createDirectories(wal.getParent());
 *     Files.write(wal, bytes);
 * }
 * }</pre>
 *
 * <p>Files are extents of the device's blocks, allocated first fit; directories, inodes, sizes and times live in
 * memory. A channel is one {@link io.staleguard.device.IoCaller} of the device; {@code ExtendedOpenOption.DIRECT}
 * gives {@link io.staleguard.device.IoMode#DIRECT} calls with O_DIRECT's alignment rules, anything else
 * {@link io.staleguard.device.IoMode#BUFFERED} calls. On a device with a page-cache kernel path
 * ({@code KernelIoPath.of(preset)}) each file has a page cache of its own ({@code KernelIoPath.fileCache}): its
 * read-ahead stops at the file's size, its pages leave with its blocks, and {@code force} writes back that file.
 * Paths behave as on the JDK's default Unix filesystem, and errors are Linux's in the JDK's exception types.
 * {@code FileChannel.map} and {@link #newWatchService()} are refused. docs/FILESYSTEM.md describes the layout and
 * the surface.
 *
 * <p>While it is open, the filesystem is its device's {@link io.staleguard.device.FileLocator}: a violation on a
 * file's blocks names the file and the offset in it ({@link io.staleguard.device.Violation#location()}), and an
 * {@link io.staleguard.device.hooks.OpMatcher#onFile(Path)} gate holds operations on one file.
 *
 * <p>Closing the filesystem closes its open channels, not the device. Thread safe.
 */
@org.apiguardian.api.API(status = org.apiguardian.api.API.Status.EXPERIMENTAL, since = "0.1")
public final class SimulatedFileSystem extends FileSystem {

    private final SimulatedDevice device;
    private final Volume volume;
    private final Path root;
    private final FileFaults faults;

    private SimulatedFileSystem(SimulatedDevice device) {
        this.device = device;
        this.volume = new Volume(device);
        this.root = FsPath.parse(this, volume, "/");
        this.faults = new FileFaults(this, volume);
        SimulatedFileSystemProvider.INSTANCE.register(volume, this);
        device.locateFiles(volume::locate);
    }

    /** A fresh, empty filesystem over all of {@code device}'s blocks; the device should hold no other data. */
    public static SimulatedFileSystem on(SimulatedDevice device) {
        return new SimulatedFileSystem(Objects.requireNonNull(device, "device"));
    }

    /** The device under the files. */
    public SimulatedDevice device() {
        return device;
    }

    /**
     * Faults aimed at this filesystem's files: the device's fault injector, with ranges given as file offsets (see
     * {@link FileFaults}; docs/FILESYSTEM.md, "Faults on files").
     */
    public FileFaults faults() {
        return faults;
    }

    /** The root directory, {@code /}. */
    public Path root() {
        return root;
    }

    @Override
    public FileSystemProvider provider() {
        return SimulatedFileSystemProvider.INSTANCE;
    }

    /** Closes every channel still open on it; the device stays open. Later operations throw ClosedFileSystemException. */
    @Override
    public void close() throws IOException {
        SimulatedFileSystemProvider.INSTANCE.unregister(volume);
        try {
            volume.close();
        } finally {
            // After the channels closed, so that what their closing finds is still named by file.
            device.locateFiles(null);
        }
    }

    @Override
    public boolean isOpen() {
        return volume.isOpen();
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        volume.checkOpen();
        return List.of(root);
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        volume.checkOpen();
        return List.of(SimulatedFileSystemProvider.store(volume));
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Set.of("basic", "posix", "owner");
    }

    @Override
    public Path getPath(String first, String... more) {
        return FsPath.parse(this, volume, first, more);
    }

    /** The default filesystem's glob and regex syntax, matched against {@code path.toString()} as it matches. */
    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        return FileSystems.getDefault().getPathMatcher(syntaxAndPattern);
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return SimulatedFileSystemProvider.principals();
    }

    /** Always throws {@link UnsupportedOperationException}: there is no change notification to simulate. */
    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException(SimulatedFileSystemProvider.noWatchService());
    }

    @Override
    public String toString() {
        return "SimulatedFileSystem fs-" + volume.id() + " on " + device.describe();
    }
}
