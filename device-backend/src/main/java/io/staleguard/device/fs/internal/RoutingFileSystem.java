package io.staleguard.device.fs.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The default filesystem while routing is installed: the platform's, with every path wrapped in a
 * {@link RoutedPath}, so that {@code Paths.get}, {@code Path.of} and {@code File.toPath()} give paths whose
 * operations reach the routing provider. Everything that is not a path operation is the platform's.
 */
public final class RoutingFileSystem extends FileSystem {

    private final FileSystemProvider provider;
    private final FileSystem platform;
    private final RouteTable routes;

    /**
     * The routing view of {@code platform}.
     *
     * @param provider the routing provider, which this filesystem reports
     * @param platform the platform's default filesystem
     * @param routes   the routes the provider consults
     */
    public RoutingFileSystem(FileSystemProvider provider, FileSystem platform, RouteTable routes) {
        this.provider = provider;
        this.platform = platform;
        this.routes = routes;
    }

    /** The platform's default filesystem under this one. */
    public FileSystem platform() {
        return platform;
    }

    /** Wraps a platform path. */
    public Path wrap(Path platformPath) {
        return new RoutedPath(this, platformPath);
    }

    /**
     * The platform path of a path given to the routing provider: a routed path's delegate, or a platform path
     * itself (the JDK makes some while it starts, before the routing provider is installed).
     */
    public Path platformOf(Path p) {
        if (p instanceof RoutedPath r && r.getFileSystem() == this) {
            return r.delegate();
        }
        if (p != null && p.getFileSystem() == platform) {
            return p;
        }
        if (p == null) {
            throw new NullPointerException();
        }
        throw new ProviderMismatchException("not a path of the default filesystem: " + p + " ("
                + p.getFileSystem().provider().getScheme() + ", " + p.getClass().getName() + ")");
    }

    Path realPath(RoutedPath p, LinkOption... options) throws IOException {
        RouteTable.Hit hit = routes.find(p.delegate());
        if (hit == null) {
            return wrap(p.delegate().toRealPath(options));
        }
        try {
            Path real = hit.target().toRealPath(options);
            Path host = RouteTable.hostOf(hit.entry(), real);
            return wrap(host != null ? host : platform.getPath(real.toString()));
        } catch (FileSystemException e) {
            throw RoutedFailures.translate(e, p, hit.target());
        }
    }

    /** The file URI; a routed directory's ends in '/', as the platform's does for a host directory. */
    java.net.URI uri(RoutedPath p) {
        java.net.URI uri = p.delegate().toUri();
        if (routes.isEmpty() || uri.getRawPath().endsWith("/")) {
            return uri;
        }
        RouteTable.Hit hit = routes.find(p.delegate());
        if (hit != null && java.nio.file.Files.isDirectory(hit.target())) {
            return java.net.URI.create(uri + "/");
        }
        return uri;
    }

    WatchKey register(RoutedPath p, WatchService watcher, WatchEvent.Kind<?>[] events,
            WatchEvent.Modifier... modifiers) throws IOException {
        RouteTable.Hit hit = routes.find(p.delegate());
        return hit == null ? p.delegate().register(watcher, events, modifiers)
                : hit.target().register(watcher, events, modifiers);
    }

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    /** The default filesystem cannot be closed, as the platform's cannot. */
    @Override
    public void close() throws IOException {
        platform.close();
    }

    @Override
    public boolean isOpen() {
        return platform.isOpen();
    }

    @Override
    public boolean isReadOnly() {
        return platform.isReadOnly();
    }

    @Override
    public String getSeparator() {
        return platform.getSeparator();
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        List<Path> roots = new ArrayList<>();
        platform.getRootDirectories().forEach(r -> roots.add(wrap(r)));
        return roots;
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return platform.getFileStores();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return platform.supportedFileAttributeViews();
    }

    @Override
    public Path getPath(String first, String... more) {
        return wrap(platform.getPath(first, more));
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher m = platform.getPathMatcher(syntaxAndPattern);
        return p -> m.matches(p instanceof RoutedPath r ? r.delegate() : p);
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return platform.getUserPrincipalLookupService();
    }

    @Override
    public WatchService newWatchService() throws IOException {
        return platform.newWatchService();
    }

    @Override
    public String toString() {
        return platform.toString();
    }
}
