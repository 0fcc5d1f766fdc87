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
 *
 * <p>The wrapper is the price of a provider that sees every call, so path arithmetic makes no more than one per
 * result: the string forms resolve on the platform path (the interface's defaults would wrap the argument first),
 * and a result that is the platform path itself or the argument's returns the existing wrapper.
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

    /** {@code p} wrapped, reusing this wrapper when the platform returned this path's own delegate. */
    private Path same(Path p) {
        return p == delegate ? this : wrap(p);
    }

    /** The platform's result of combining with {@code other}, reusing a wrapper the result already has. */
    private Path combined(Path result, Path other, Path platformOther) {
        if (result == delegate) {
            return this;
        }
        if (result == platformOther && other instanceof RoutedPath) {
            return other;
        }
        return wrap(result);
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
        return same(delegate.getFileName());
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
        return same(delegate.getName(index));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        return same(delegate.subpath(beginIndex, endIndex));
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
    public boolean startsWith(String other) {
        return delegate.startsWith(other);
    }

    @Override
    public boolean endsWith(String other) {
        return delegate.endsWith(other);
    }

    @Override
    public Path normalize() {
        return same(delegate.normalize());
    }

    @Override
    public Path resolve(Path other) {
        Path po = platformOf(other);
        return combined(delegate.resolve(po), other, po);
    }

    @Override
    public Path resolve(String other) {
        return same(delegate.resolve(other));
    }

    @Override
    public Path resolveSibling(Path other) {
        Path po = platformOf(other);
        return combined(delegate.resolveSibling(po), other, po);
    }

    @Override
    public Path resolveSibling(String other) {
        return same(delegate.resolveSibling(other));
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
        return same(delegate.toAbsolutePath());
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
