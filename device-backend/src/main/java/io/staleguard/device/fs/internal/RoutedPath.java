package io.staleguard.device.fs.internal;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Objects;

/**
 * A path of the routing default filesystem: a platform path, wrapped so that every operation on it reaches the
 * routing provider, which decides by the path's absolute, normalized form where it goes. Path arithmetic is the
 * platform's; derived paths stay wrapped. {@link #toFile()} works, as for any default-filesystem path.
 */
public final class RoutedPath implements Path {

    private final RoutingFileSystem fs;
    private final Path delegate;

    RoutedPath(RoutingFileSystem fs, Path delegate) {
        this.fs = fs;
        this.delegate = Objects.requireNonNull(delegate);
    }

    /** The platform path under this one. */
    public Path delegate() {
        return delegate;
    }

    private Path wrap(Path p) {
        return p == null ? null : new RoutedPath(fs, p);
    }

    /** The platform path of {@code other}: a routed path's delegate, a platform path itself. */
    private Path platformOf(Path other) {
        if (other instanceof RoutedPath r) {
            return r.delegate;
        }
        Objects.requireNonNull(other);
        if (other.getFileSystem() == delegate.getFileSystem()) {
            return other;
        }
        throw new ProviderMismatchException("a default-filesystem path cannot be combined with " + other
                + " of " + other.getFileSystem().provider().getScheme() + " (" + other.getClass().getName() + ")");
    }

    @Override
    public RoutingFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return delegate.isAbsolute();
    }

    @Override
    public Path getRoot() {
        return wrap(delegate.getRoot());
    }

    @Override
    public Path getFileName() {
        return wrap(delegate.getFileName());
    }

    @Override
    public Path getParent() {
        return wrap(delegate.getParent());
    }

    @Override
    public int getNameCount() {
        return delegate.getNameCount();
    }

    @Override
    public Path getName(int index) {
        return wrap(delegate.getName(index));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        return wrap(delegate.subpath(beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        if (other instanceof RoutedPath r) {
            return delegate.startsWith(r.delegate);
        }
        return other.getFileSystem() == delegate.getFileSystem() && delegate.startsWith(other);
    }

    @Override
    public boolean endsWith(Path other) {
        if (other instanceof RoutedPath r) {
            return delegate.endsWith(r.delegate);
        }
        return other.getFileSystem() == delegate.getFileSystem() && delegate.endsWith(other);
    }

    @Override
    public Path normalize() {
        return wrap(delegate.normalize());
    }

    @Override
    public Path resolve(Path other) {
        return wrap(delegate.resolve(platformOf(other)));
    }

    @Override
    public Path relativize(Path other) {
        return wrap(delegate.relativize(platformOf(other)));
    }

    @Override
    public URI toUri() {
        return fs.uri(this);
    }

    @Override
    public Path toAbsolutePath() {
        return wrap(delegate.toAbsolutePath());
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        return fs.realPath(this, options);
    }

    /** The host file of this path's name; {@code java.io} on it bypasses routing (docs/USER-GUIDE.md). */
    @Override
    public File toFile() {
        return new File(delegate.toString());
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers)
            throws IOException {
        return fs.register(this, watcher, events, modifiers);
    }

    @Override
    public int compareTo(Path other) {
        return delegate.compareTo(platformOf(other));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutedPath r && r.fs == fs && r.delegate.equals(delegate);
    }

    @Override
    public int hashCode() {
        return delegate.hashCode();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
