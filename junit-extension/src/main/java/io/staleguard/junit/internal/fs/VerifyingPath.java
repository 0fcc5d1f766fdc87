package io.staleguard.junit.internal.fs;

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
 * A path of a {@link VerifyingFileSystem}: a host path wrapped so that every file opened through it is verified.
 * Paths derived from it ({@code resolve}, {@code getParent}, ...) stay verifying. {@link #toFile()} leads
 * back to the host filesystem, where nothing is verified; {@link #toUri()} keeps the verifying scheme, so that
 * {@code provider().getPath(uri)} gives the verifying path back.
 */
final class VerifyingPath implements Path {

    private final VerifyingFileSystem fs;
    private final Path delegate;

    VerifyingPath(VerifyingFileSystem fs, Path delegate) {
        this.fs = fs;
        this.delegate = Objects.requireNonNull(delegate);
    }

    Path delegate() {
        return delegate;
    }

    private Path wrap(Path p) {
        return p == null ? null : new VerifyingPath(fs, p);
    }

    private Path unwrap(Path other) {
        if (other instanceof VerifyingPath v) {
            return v.delegate;
        }
        if (other == null) {
            throw new NullPointerException();
        }
        throw new ProviderMismatchException("mixing a verifying path with " + other.getFileSystem().provider()
                + " path " + other);
    }

    @Override
    public VerifyingFileSystem getFileSystem() {
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
        return other instanceof VerifyingPath v && delegate.startsWith(v.delegate);
    }

    @Override
    public boolean endsWith(Path other) {
        return other instanceof VerifyingPath v && delegate.endsWith(v.delegate);
    }

    @Override
    public Path normalize() {
        return wrap(delegate.normalize());
    }

    @Override
    public Path resolve(Path other) {
        return wrap(delegate.resolve(unwrap(other)));
    }

    @Override
    public Path relativize(Path other) {
        return wrap(delegate.relativize(unwrap(other)));
    }

    @Override
    public URI toUri() {
        return VerifyingFileSystemProvider.toVerifyingUri(delegate.toUri());
    }

    @Override
    public Path toAbsolutePath() {
        return wrap(delegate.toAbsolutePath());
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        return wrap(delegate.toRealPath(options));
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers)
            throws IOException {
        throw new UnsupportedOperationException("watch services are not supported on a verifying path");
    }

    @Override
    public int compareTo(Path other) {
        return delegate.compareTo(unwrap(other));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifyingPath v && v.fs == fs && v.delegate.equals(delegate);
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
