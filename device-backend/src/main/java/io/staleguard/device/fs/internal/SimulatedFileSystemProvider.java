package io.staleguard.device.fs.internal;

import io.staleguard.device.IoCaller;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.nio.file.spi.FileSystemProvider;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The provider of every simulated filesystem (scheme {@value #SCHEME}). It is not installed as a service: a
 * filesystem is built over a device with {@code SimulatedFileSystem.on(device)}, and its URIs name it while it is
 * open. Each operation takes the volume from the path it is given.
 */
public final class SimulatedFileSystemProvider extends FileSystemProvider {

    /** The URI scheme: {@code staleguard://fs-<id>/path}. */
    public static final String SCHEME = "staleguard";

    /** The one provider instance. */
    public static final SimulatedFileSystemProvider INSTANCE = new SimulatedFileSystemProvider();

    static final String NO_WATCH = "WatchService is not supported on the simulated filesystem: it has no inotify "
            + "model, so change notifications would be invented rather than simulated; poll with Files.list or "
            + "Files.getLastModifiedTime instead";

    private static final AtomicInteger CHANNEL_IDS = new AtomicInteger();

    private final Map<String, FileSystem> open = new ConcurrentHashMap<>();

    private SimulatedFileSystemProvider() {
    }

    /** The message of {@code FileChannel.map}, in the raw device channel's words. */
    static String noMap(String device) {
        return "map is not supported on a simulated file channel: a device has no page-cache mapping to share with "
                + "this process, so stores through a MappedByteBuffer could not be verified; on a simulated device "
                + "with a kernel preset use io.staleguard.device.sim.kernel.KernelIoPath.map(device, offset, length), "
                + "a KernelMapping whose loads and stores go through the simulated page cache (" + device + ")";
    }

    /** The message of {@code newWatchService}. */
    public static String noWatchService() {
        return NO_WATCH;
    }

    /** Makes {@code fs} reachable by its URIs until {@link #unregister}. */
    public void register(Volume volume, FileSystem fs) {
        open.put("fs-" + volume.id(), fs);
    }

    /**
     * The volume under simulated filesystem {@code fs}: how the crash explorer reaches it without a public accessor.
     *
     * @throws IllegalArgumentException if {@code fs} is not a simulated filesystem
     */
    public static Volume volumeOf(FileSystem fs) {
        if (fs == null || fs.provider() != INSTANCE) {
            throw new IllegalArgumentException("not a simulated filesystem: " + fs);
        }
        return FsPath.of(fs.getPath("/")).volume();
    }

    /** {@code fs} is closed. */
    public void unregister(Volume volume) {
        open.remove("fs-" + volume.id());
    }

    /** The one user of every simulated filesystem. */
    public static UserPrincipalLookupService principals() {
        return new UserPrincipalLookupService() {
            @Override
            public UserPrincipal lookupPrincipalByName(String name) throws IOException {
                if (name.equals(FsAttributes.USER.getName())) {
                    return FsAttributes.USER;
                }
                throw new UserPrincipalNotFoundException(name);
            }

            @Override
            public java.nio.file.attribute.GroupPrincipal lookupPrincipalByGroupName(String group) throws IOException {
                if (group.equals(FsAttributes.USER.getName())) {
                    return (java.nio.file.attribute.GroupPrincipal) FsAttributes.USER;
                }
                throw new UserPrincipalNotFoundException(group);
            }
        };
    }

    /** The store of {@code volume}. */
    public static FileStore store(Volume volume) {
        return new FsFileStore(volume);
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    /** Refused: a simulated filesystem is built over a device, with {@code SimulatedFileSystem.on(device)}. */
    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        throw new UnsupportedOperationException("a simulated filesystem is built over a SimulatedDevice with "
                + "io.staleguard.device.fs.SimulatedFileSystem.on(device), not from a URI (" + uri + ")");
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        checkUri(uri);
        FileSystem fs = open.get(uri.getAuthority());
        if (fs == null) {
            throw new FileSystemNotFoundException("no open simulated filesystem " + uri.getAuthority());
        }
        return fs;
    }

    @Override
    public Path getPath(URI uri) {
        return getFileSystem(uri).getPath(uri.getPath().isEmpty() ? "/" : uri.getPath());
    }

    private static void checkUri(URI uri) {
        if (!SCHEME.equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("URI scheme is not \"" + SCHEME + "\": " + uri);
        }
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        return newFileChannel(path, options, attrs);
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        FsPath p = FsPath.of(path);
        Volume v = p.volume();
        v.checkOpen();
        FsOpenOptions o = FsOpenOptions.parse(options);
        Inode f = v.openFile(p, o.create(), o.createNew(), o.write(), mode(attrs));
        if (f.isDirectory()) {
            FsDirectoryChannel dir = new FsDirectoryChannel(v, p, f);
            v.opened(f, dir);
            return dir;
        }
        if (o.truncateExisting()) {
            v.truncate(p, f, 0);
        }
        IoCaller caller = IoCaller.newCaller("FileChannel#" + CHANNEL_IDS.incrementAndGet() + " on " + p.absoluteString()
                + " (" + o.mode() + ")", true);
        FsFileChannel ch = new FsFileChannel(v, p, f, o, caller);
        v.opened(f, ch);
        unlinkIfAsked(o, p);
        return ch;
    }

    @Override
    public AsynchronousFileChannel newAsynchronousFileChannel(Path path, Set<? extends OpenOption> options,
                                                              ExecutorService executor, FileAttribute<?>... attrs)
            throws IOException {
        FsPath p = FsPath.of(path);
        Volume v = p.volume();
        v.checkOpen();
        if (options.contains(StandardOpenOption.APPEND)) {
            throw new UnsupportedOperationException("APPEND not allowed");
        }
        FsOpenOptions o = FsOpenOptions.parse(options);
        Inode f = v.openFile(p, o.create(), o.createNew(), o.write(), mode(attrs));
        if (f.isDirectory()) {
            throw new FileSystemException(p.toString(), null, "Is a directory");
        }
        if (o.truncateExisting()) {
            v.truncate(p, f, 0);
        }
        IoCaller caller = IoCaller.newCaller("AsynchronousFileChannel#" + CHANNEL_IDS.incrementAndGet() + " on "
                + p.absoluteString() + " (" + o.mode() + ")", true);
        FsAsyncFileChannel ch = new FsAsyncFileChannel(v, p, f, o, caller);
        v.opened(f, ch);
        unlinkIfAsked(o, p);
        return ch;
    }

    /** DELETE_ON_CLOSE as the JDK does it on Linux: the name goes at once, the data with the last channel. */
    private static void unlinkIfAsked(FsOpenOptions o, FsPath p) throws IOException {
        if (o.deleteOnClose()) {
            p.volume().delete(p);
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<PosixFilePermission> mode(FileAttribute<?>... attrs) {
        Set<PosixFilePermission> mode = null;
        for (FileAttribute<?> a : attrs) {
            if (a.name().equals("posix:permissions") || a.name().equals("unix:permissions")) {
                mode = EnumSet.noneOf(PosixFilePermission.class);
                mode.addAll((Set<PosixFilePermission>) a.value());
            } else {
                throw new UnsupportedOperationException("'" + a.name() + "' not supported as initial attribute");
            }
        }
        return mode;
    }

    /** The {@link IoCaller} of a channel this provider opened. */
    public static IoCaller callerOf(java.nio.channels.Channel channel) {
        if (channel instanceof FsFileChannel f) {
            return f.caller();
        }
        if (channel instanceof FsAsyncFileChannel a) {
            return a.caller();
        }
        throw new IllegalArgumentException(channel + " is not a channel of a simulated filesystem");
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        FsPath p = FsPath.of(dir);
        if (filter == null) {
            throw new NullPointerException();
        }
        return new FsDirectoryStream(dir, p.volume().list(p), filter);
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        FsPath p = FsPath.of(dir);
        p.volume().createDirectory(p, mode(attrs));
    }

    @Override
    public void delete(Path path) throws IOException {
        FsPath p = FsPath.of(path);
        p.volume().delete(p);
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        FsPath s = FsPath.of(source);
        FsPath t = FsPath.of(target);
        boolean replace = false;
        boolean attributes = false;
        for (CopyOption o : options) {
            if (o == StandardCopyOption.REPLACE_EXISTING) {
                replace = true;
            } else if (o == StandardCopyOption.COPY_ATTRIBUTES) {
                attributes = true;
            } else if (o != LinkOption.NOFOLLOW_LINKS) {
                throw new UnsupportedOperationException("Unsupported copy option: " + o);
            }
        }
        Volume v = s.volume();
        Inode from = v.lookup(s);
        Inode existing = t.volume().find(t);
        if (existing == from) {
            return;
        }
        if (existing != null) {
            if (!replace) {
                throw new FileAlreadyExistsException(t.toString());
            }
            if (existing.isDirectory() && !t.volume().list(t).isEmpty()) {
                throw new DirectoryNotEmptyException(t.toString());
            }
            t.volume().delete(t);
        }
        if (from.isDirectory()) {
            t.volume().createDirectory(t, from.permissions());
        } else {
            copyData(s, t, from.permissions());
        }
        if (attributes) {
            Inode to = t.volume().lookup(t);
            to.times(from.modifiedNanos(), from.accessNanos(), from.createdNanos());
            to.permissions(from.permissions());
            t.volume().attributesSet(t, to);
        }
    }

    private void copyData(FsPath s, FsPath t, Set<PosixFilePermission> mode) throws IOException {
        Set<OpenOption> write = new LinkedHashSet<>(Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW));
        try (FileChannel in = newFileChannel(s, Set.of(StandardOpenOption.READ));
             FileChannel out = newFileChannel(t, write,
                     java.nio.file.attribute.PosixFilePermissions.asFileAttribute(mode))) {
            ByteBuffer buf = ByteBuffer.allocate(64 << 10);
            long at = 0;
            while (true) {
                buf.clear();
                int n = in.read(buf, at);
                if (n < 0) {
                    break;
                }
                buf.flip();
                long w = at;
                while (buf.hasRemaining()) {
                    w += out.write(buf, w);
                }
                at += n;
            }
        }
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        FsPath s = FsPath.of(source);
        FsPath t = FsPath.of(target);
        boolean replace = false;
        boolean atomic = false;
        for (CopyOption o : options) {
            if (o == StandardCopyOption.REPLACE_EXISTING) {
                replace = true;
            } else if (o == StandardCopyOption.ATOMIC_MOVE) {
                atomic = true;
            } else if (o != LinkOption.NOFOLLOW_LINKS && o != StandardCopyOption.COPY_ATTRIBUTES) {
                throw new UnsupportedOperationException("Unsupported copy option: " + o);
            }
        }
        if (s.volume() != t.volume()) {
            throw new java.nio.file.AtomicMoveNotSupportedException(s.toString(), t.toString(),
                    "Invalid cross-device link");
        }
        if (!atomic && replace) {
            Inode from = s.volume().lookup(s);
            Inode existing = t.volume().find(t);
            if (existing != null && existing != from && existing.isDirectory() && !t.volume().list(t).isEmpty()) {
                throw new DirectoryNotEmptyException(t.toString());
            }
        }
        s.volume().rename(s, t, atomic || replace);
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        FsPath a = FsPath.of(path);
        if (a.equals(path2)) {
            return true;
        }
        if (!(path2 instanceof FsPath b)) {
            return false;
        }
        return a.volume().lookup(a) == b.volume().lookup(b);
    }

    @Override
    public boolean isHidden(Path path) {
        Path name = FsPath.of(path).getFileName();
        return name != null && name.toString().startsWith(".");
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        FsPath p = FsPath.of(path);
        p.volume().lookup(p);
        return new FsFileStore(p.volume());
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        FsPath p = FsPath.of(path);
        p.volume().lookup(p);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        FsPath p = FsPath.of(path);
        if (type == BasicFileAttributeView.class) {
            return (V) new FsAttributeView(p, "basic");
        }
        if (type == PosixFileAttributeView.class || type == FileOwnerAttributeView.class) {
            return (V) new FsAttributeView(p, "posix");
        }
        return null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        FsPath p = FsPath.of(path);
        if (type == BasicFileAttributes.class || type == PosixFileAttributes.class) {
            return (A) new FsAttributeView(p, "posix").readAttributes();
        }
        throw new UnsupportedOperationException("attributes of " + type.getName() + " are not supported");
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        return FsAttributeView.read(FsPath.of(path), attributes);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        FsAttributeView.write(FsPath.of(path), attribute, value);
    }
}
