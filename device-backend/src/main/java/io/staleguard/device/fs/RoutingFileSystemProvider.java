package io.staleguard.device.fs;

import io.staleguard.device.fs.internal.CrossFileSystemTransfer;
import io.staleguard.device.fs.internal.PlatformExistence;
import io.staleguard.device.fs.internal.RouteTable;
import io.staleguard.device.fs.internal.RoutedDirectoryStream;
import io.staleguard.device.fs.internal.RoutedFailures;
import io.staleguard.device.fs.internal.RoutedPath;
import io.staleguard.device.fs.internal.RoutingFileSystem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * The routing default provider: installed as the JVM's default {@code FileSystemProvider}, it wraps the
 * platform's, so that a path built anywhere ({@code Paths.get(..)}, {@code Path.of(..)}, {@code File.toPath()},
 * {@code resolve}, {@code getParent}, a relative path made absolute, {@code ..} normalized) and lying under a
 * {@linkplain #route(Path, Path) routed} host directory goes to the filesystem of that route: a
 * {@link SimulatedFileSystem}, or a verifying view of the host directory. Every other path goes straight to the
 * platform provider.
 *
 * <p>Install it in the test JVM with {@value #FLAG} (the Maven plugin's {@code staleguard:prepare} goal appends it
 * to {@code argLine}). Like Lucene's test-framework {@code FilterFileSystemProvider}, it wraps the platform's
 * {@code FileSystem} and {@code Path}s too, since a provider that only delegated {@code getFileSystem} would see
 * no call.
 *
 * <p>Which filesystem a path belongs to is decided at each operation, on the path's absolute, normalized form,
 * so a path may be built before its route exists. With no route installed an operation costs one volatile read
 * more than the platform's; with routes, a prefix check on the absolute path. The channels and streams it opens
 * are the platform's or the route target's own, so reads and writes on them pay nothing.
 *
 * <p>What bypasses NIO providers escapes routing: {@code java.io.RandomAccessFile}, {@code FileInputStream},
 * {@code FileOutputStream} and {@code RandomAccessFile.getChannel()} open the host path itself. A route to a
 * simulated filesystem from {@link #routeAbsentDirectory(String, Path)} uses a host directory that does not
 * exist, nor does its parent, so those fail with {@code FileNotFoundException} instead of passing quietly.
 */
@org.apiguardian.api.API(status = org.apiguardian.api.API.Status.EXPERIMENTAL, since = "0.1")
public final class RoutingFileSystemProvider extends FileSystemProvider {

    /** The system property through which the JDK installs a default provider. */
    public static final String PROPERTY = "java.nio.file.spi.DefaultFileSystemProvider";

    /** The JVM flag that installs this provider. */
    public static final String FLAG =
            "-Djava.nio.file.spi.DefaultFileSystemProvider=io.staleguard.device.fs.RoutingFileSystemProvider";

    /** The prefix of the absent host directories that {@link #routeAbsentDirectory} routes. */
    public static final String ABSENT_DIRECTORY_PREFIX = "staleguard-routed-";

    private final FileSystemProvider platform;
    private final RouteTable routes = new RouteTable();
    private final RoutingFileSystem fs;
    private int absentDirectories;

    /**
     * The constructor the JDK calls when {@value #PROPERTY} names this class.
     *
     * @param platformDefault the platform's default provider, which this one wraps
     */
    public RoutingFileSystemProvider(FileSystemProvider platformDefault) {
        this.platform = Objects.requireNonNull(platformDefault, "platformDefault");
        this.fs = new RoutingFileSystem(this, platformDefault.getFileSystem(URI.create("file:///")), routes);
    }

    /** The routing provider, if it is this JVM's default provider ({@value #FLAG}); else empty. */
    public static Optional<RoutingFileSystemProvider> installed() {
        return FileSystems.getDefault().provider() instanceof RoutingFileSystemProvider r ? Optional.of(r)
                : Optional.empty();
    }

    /**
     * The platform's own path under a default-filesystem path: what to give code that must reach the host
     * itself, never a route (a verifying view of a host directory wraps the platform path). Any other path is
     * returned as it is.
     */
    public static Path platformPath(Path path) {
        return path instanceof RoutedPath r ? r.delegate() : path;
    }

    /** The filesystem whose paths this provider routes: the default one, when installed. */
    public FileSystem fileSystem() {
        return fs;
    }

    /**
     * Routes {@code hostDirectory} and everything under it to {@code target} until the route is closed.
     *
     * @param hostDirectory a path of the default filesystem (made absolute and normalized); not the root, and
     *                      neither inside nor around a directory routed already
     * @param target        an existing directory on another filesystem
     * @return the route; its {@link Route#hostDirectory()} is the default-filesystem path to hand out
     * @throws IllegalArgumentException naming the bad path
     */
    public Route route(Path hostDirectory, Path target) {
        Path host = fs.platformOf(Objects.requireNonNull(hostDirectory, "hostDirectory")).toAbsolutePath()
                .normalize();
        if (host.getNameCount() == 0) {
            throw new IllegalArgumentException("cannot route the root directory " + host);
        }
        Objects.requireNonNull(target, "target");
        if (target.getFileSystem() == fs || target.getFileSystem() == fs.platform()) {
            throw new IllegalArgumentException("target " + target + " is a path of the default filesystem; a route"
                    + " leads to another filesystem (a SimulatedFileSystem, a verifying view of a host directory)");
        }
        Path to = target.toAbsolutePath().normalize();
        if (!Files.isDirectory(to)) {
            throw new IllegalArgumentException("target " + to + " is not an existing directory of "
                    + to.getFileSystem());
        }
        RouteTable.Entry entry = new RouteTable.Entry(host, to);
        routes.add(entry);
        return new Route(this, entry, fs.wrap(host));
    }

    /**
     * Routes a fresh host directory {@code <java.io.tmpdir>/staleguard-routed-N/name} to {@code target}, where
     * neither that directory nor its parent exists on the host, and no other route uses the parent. Code that
     * opens a file under it with {@code java.io} then fails with {@code FileNotFoundException}.
     *
     * @param name the last name of the host directory: not empty, no '/', not "." or ".."
     * @param target an existing directory on another filesystem
     */
    public Route routeAbsentDirectory(String name, Path target) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0 || name.equals(".")
                || name.equals("..")) {
            throw new IllegalArgumentException("bad directory name '" + name + "': one non-empty name, no '/'");
        }
        Path tmp = fs.platform().getPath(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        synchronized (this) {
            while (true) {
                Path parent = tmp.resolve(ABSENT_DIRECTORY_PREFIX + ++absentDirectories);
                if (Files.notExists(parent, LinkOption.NOFOLLOW_LINKS) && routes.find(parent) == null
                        && !routes.holdsBelow(parent)) {
                    return route(parent.resolve(name), target);
                }
            }
        }
    }

    void close(RouteTable.Entry entry) {
        routes.remove(entry);
    }

    // ---- the provider: each call goes to the platform or, for a routed path, to its route's filesystem ----

    /** A call on a routed path's target. */
    private interface Call<T> {
        T on(Path target) throws IOException;
    }

    private static <T> T routed(Path given, RouteTable.Hit hit, Call<T> call) throws IOException {
        try {
            return call.on(hit.target());
        } catch (FileSystemException e) {
            throw RoutedFailures.translate(e, given, hit.target());
        }
    }

    private static FileSystemProvider providerOf(RouteTable.Hit hit) {
        return hit.target().getFileSystem().provider();
    }

    @Override
    public String getScheme() {
        return platform.getScheme();
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) throws IOException {
        return platform.newFileSystem(uri, env);
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        platform.getFileSystem(uri);
        return fs;
    }

    @Override
    public Path getPath(URI uri) {
        return fs.wrap(platform.getPath(uri));
    }

    @Override
    public FileSystem newFileSystem(Path path, Map<String, ?> env) throws IOException {
        return platform.newFileSystem(fs.platformOf(path), env);
    }

    @Override
    public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
        Path p = fs.platformOf(path);
        RouteTable.Hit hit = routes.find(p);
        return hit == null ? platform.newInputStream(p, options)
                : routed(path, hit, t -> providerOf(hit).newInputStream(t, options));
    }

    @Override
    public OutputStream newOutputStream(Path path, OpenOption... options) throws IOException {
        Path p = fs.platformOf(path);
        RouteTable.Hit hit = routes.find(p);
        return hit == null ? platform.newOutputStream(p, options)
                : routed(path, hit, t -> providerOf(hit).newOutputStream(t, options));
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        Path p = fs.platformOf(path);
        RouteTable.Hit hit = routes.find(p);
        return hit == null ? platform.newFileChannel(p, options, attrs)
                : routed(path, hit, t -> providerOf(hit).newFileChannel(t, options, attrs));
    }

    @Override
    public AsynchronousFileChannel newAsynchronousFileChannel(Path path, Set<? extends OpenOption> options,
            ExecutorService executor, FileAttribute<?>... attrs) throws IOException {
        Path p = fs.platformOf(path);
        RouteTable.Hit hit = routes.find(p);
        return hit == null ? platform.newAsynchronousFileChannel(p, options, executor, attrs)
                : routed(path, hit, t -> providerOf(hit).newAsynchronousFileChannel(t, options, executor, attrs));
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
            FileAttribute<?>... attrs) throws IOException {
        Path p = fs.platformOf(path);
        RouteTable.Hit hit = routes.find(p);
        return hit == null ? platform.newByteChannel(p, options, attrs)
                : routed(path, hit, t -> providerOf(hit).newByteChannel(t, options, attrs));
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        Path p = fs.platformOf(dir);
        RouteTable.Hit hit = routes.find(p);
        if (hit == null) {
            return new RoutedDirectoryStream(platform.newDirectoryStream(p, e -> filter.accept(fs.wrap(e))),
                    fs::wrap);
        }
        Path caller = dir instanceof RoutedPath ? dir : fs.wrap(p);
        java.util.function.UnaryOperator<Path> toCaller = e -> caller.resolve(e.getFileName().toString());
        return routed(dir, hit, t -> new RoutedDirectoryStream(
                providerOf(hit).newDirectoryStream(t, e -> filter.accept(toCaller.apply(e))), toCaller));
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        Path p = fs.platformOf(dir);
        RouteTable.Hit hit = routes.find(p);
        if (hit == null) {
            platform.createDirectory(p, attrs);
        } else {
            routed(dir, hit, t -> {
                providerOf(hit).createDirectory(t, attrs);
                return null;
            });
        }
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        Path p = fs.platformOf(link);
        RouteTable.Hit hit = routes.find(p);
        if (hit == null) {
            platform.createSymbolicLink(p, fs.platformOf(target), attrs);
        } else {
            routed(link, hit, t -> {
                providerOf(hit).createSymbolicLink(t, t.getFileSystem().getPath(target.toString()), attrs);
                return null;
            });
        }
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        Path pl = fs.platformOf(link);
        Path pe = fs.platformOf(existing);
        RouteTable.Hit hl = routes.find(pl);
        RouteTable.Hit he = routes.find(pe);
        if (hl == null && he == null) {
            platform.createLink(pl, pe);
        } else if (hl != null && he != null && hl.entry() == he.entry()) {
            try {
                providerOf(hl).createLink(hl.target(), he.target());
            } catch (FileSystemException e) {
                throw RoutedFailures.translate(e, link, hl.target(), existing, he.target());
            }
        } else {
            throw new FileSystemException(link.toString(), existing.toString(), "Invalid cross-device link");
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        Path p = fs.platformOf(path);
        RouteTable.Hit hit = routes.find(p);
        if (hit == null) {
            platform.delete(p);
        } else {
            routed(path, hit, t -> {
                providerOf(hit).delete(t);
                return null;
            });
        }
    }

    @Override
    public boolean deleteIfExists(Path path) throws IOException {
        Path p = fs.platformOf(path);
        RouteTable.Hit hit = routes.find(p);
        return hit == null ? platform.deleteIfExists(p) : routed(path, hit, t -> providerOf(hit).deleteIfExists(t));
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        Path p = fs.platformOf(link);
        RouteTable.Hit hit = routes.find(p);
        Path target = hit == null ? platform.readSymbolicLink(p)
                : routed(link, hit, t -> providerOf(hit).readSymbolicLink(t));
        return fs.wrap(hit == null ? target : fs.platform().getPath(target.toString()));
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        transfer(source, target, options, FileSystemProvider::copy, CrossFileSystemTransfer::copy);
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        transfer(source, target, options, FileSystemProvider::move, CrossFileSystemTransfer::move);
    }

    /** A copy or move as one provider performs it. */
    @FunctionalInterface
    private interface Within {
        void run(FileSystemProvider provider, Path source, Path target, CopyOption... options) throws IOException;
    }

    /** A copy or move between two filesystems. */
    @FunctionalInterface
    private interface Across {
        void run(Path source, Path target, CopyOption... options) throws IOException;
    }

    /**
     * A copy or move: by the platform when neither path is routed, by the target filesystem when both are under
     * one route, and through streams between two filesystems otherwise.
     */
    private void transfer(Path source, Path target, CopyOption[] options, Within within, Across across)
            throws IOException {
        Path ps = fs.platformOf(source);
        Path pt = fs.platformOf(target);
        RouteTable.Hit hs = routes.find(ps);
        RouteTable.Hit ht = routes.find(pt);
        if (hs == null && ht == null) {
            within.run(platform, ps, pt, options);
        } else if (hs != null && ht != null && hs.entry() == ht.entry()) {
            try {
                within.run(providerOf(hs), hs.target(), ht.target(), options);
            } catch (FileSystemException e) {
                throw RoutedFailures.translate(e, source, hs.target(), target, ht.target());
            }
        } else {
            across.run(source, target, options);
        }
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        Path a = fs.platformOf(path);
        Path b = fs.platformOf(path2);
        RouteTable.Hit ha = routes.find(a);
        RouteTable.Hit hb = routes.find(b);
        if (ha == null && hb == null) {
            return platform.isSameFile(a, b);
        }
        if (ha != null && hb != null && ha.entry() == hb.entry()) {
            try {
                return providerOf(ha).isSameFile(ha.target(), hb.target());
            } catch (FileSystemException e) {
                throw RoutedFailures.translate(e, path, ha.target(), path2, hb.target());
            }
        }
        if (a.equals(b)) {
            return true;
        }
        checkAccess(path);
        checkAccess(path2);
        return false;
    }

    @Override
    public boolean isHidden(Path path) throws IOException {
        Path p = fs.platformOf(path);
        RouteTable.Hit hit = routes.find(p);
        return hit == null ? platform.isHidden(p) : routed(path, hit, t -> providerOf(hit).isHidden(t));
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        Path p = fs.platformOf(path);
        RouteTable.Hit hit = routes.find(p);
        return hit == null ? platform.getFileStore(p) : routed(path, hit, t -> providerOf(hit).getFileStore(t));
    }

    /**
     * As the platform's. With no mode (what {@code Files.exists} and {@code notExists} call on JDK 17) and a path
     * no route holds, a file missing from a directory that exists gets the JDK's {@code NoSuchFileException}
     * without a stack trace, so that probing for absent files costs about what it costs without routing.
     */
    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        Path p = fs.platformOf(path);
        RouteTable.Hit hit = routes.find(p);
        if (hit != null) {
            checkRoutedAccess(path, hit, modes);
        } else if (modes.length == 0) {
            PlatformExistence.check(p, path);
        } else {
            platform.checkAccess(p, modes);
        }
    }

    /** Kept out of {@link #checkAccess} so that the JIT inlines the unrouted way into {@code Files.exists}. */
    private static void checkRoutedAccess(Path path, RouteTable.Hit hit, AccessMode... modes) throws IOException {
        routed(path, hit, t -> {
            providerOf(hit).checkAccess(t, modes);
            return null;
        });
    }

    /**
     * Whether the file exists, as {@code Files.exists} says. JDK 20 and later declare this method in
     * {@code FileSystemProvider} and call it from {@code Files.exists}; there it overrides theirs, so that a path
     * no route holds keeps the platform's exception-free probe. On JDK 17 nothing calls it but the user.
     *
     * @param path    a path of this provider
     * @param options how symbolic links are followed
     */
    public boolean exists(Path path, LinkOption... options) {
        Path p = fs.platformOf(path);
        RouteTable.Hit hit = routes.find(p);
        return Files.exists(hit == null ? p : hit.target(), options);
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        Path p = fs.platformOf(path);
        RouteTable.Hit hit = routes.find(p);
        return hit == null ? platform.getFileAttributeView(p, type, options)
                : providerOf(hit).getFileAttributeView(hit.target(), type, options);
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        Path p = fs.platformOf(path);
        RouteTable.Hit hit = routes.find(p);
        return hit == null ? platform.readAttributes(p, type, options)
                : routed(path, hit, t -> providerOf(hit).readAttributes(t, type, options));
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        Path p = fs.platformOf(path);
        RouteTable.Hit hit = routes.find(p);
        return hit == null ? platform.readAttributes(p, attributes, options)
                : routed(path, hit, t -> providerOf(hit).readAttributes(t, attributes, options));
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        Path p = fs.platformOf(path);
        RouteTable.Hit hit = routes.find(p);
        if (hit == null) {
            platform.setAttribute(p, attribute, value, options);
        } else {
            routed(path, hit, t -> {
                providerOf(hit).setAttribute(t, attribute, value, options);
                return null;
            });
        }
    }

    @Override
    public String toString() {
        return "RoutingFileSystemProvider over " + platform.getClass().getName();
    }
}
