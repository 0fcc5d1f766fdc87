package io.staleguard.junit.internal.fs;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * The provider of one {@link VerifyingFileSystem}: every operation is passed to the host provider on the
 * unwrapped paths; channel-opening operations return verifying channels. Not installed: it is reached only
 * through paths of its filesystem.
 */
public final class VerifyingFileSystemProvider extends FileSystemProvider {

    /** The URI scheme reported by this provider. */
    public static final String SCHEME = "staleguard-verify";

    private final VerifyingFileSystem fs;
    private final FileSystemProvider host;

    VerifyingFileSystemProvider(VerifyingFileSystem fs, FileSystemProvider host) {
        this.fs = fs;
        this.host = host;
    }

    private static Path unwrap(Path p) {
        if (p instanceof VerifyingPath v) {
            return v.delegate();
        }
        throw new ProviderMismatchException("not a verifying path: " + p);
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        throw new UnsupportedOperationException("verifying filesystems are created by the Staleguard extension");
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        throw new UnsupportedOperationException("verifying filesystems are created by the Staleguard extension");
    }

    @Override
    public Path getPath(URI uri) {
        throw new UnsupportedOperationException("verifying filesystems are created by the Staleguard extension");
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
                                              FileAttribute<?>... attrs) throws IOException {
        return newFileChannel(path, options, attrs);
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        boolean append = options.contains(StandardOpenOption.APPEND);
        boolean writable = append || options.contains(StandardOpenOption.WRITE);
        boolean readable = options.contains(StandardOpenOption.READ) || !writable;
        // The verifying channel keeps its own append position.
        Set<OpenOption> opts = new HashSet<>(options);
        opts.remove(StandardOpenOption.APPEND);
        if (append) {
            opts.add(StandardOpenOption.WRITE);
        }
        Opened o = openReal(path, options, opts, writable, attrs);
        try {
            return new VerifyingFileChannel(o.channel(), o.state(), readable, writable, append);
        } catch (IOException | RuntimeException e) {
            o.channel().close();
            throw e;
        }
    }

    @Override
    public AsynchronousFileChannel newAsynchronousFileChannel(Path path, Set<? extends OpenOption> options,
                                                              ExecutorService executor, FileAttribute<?>... attrs)
            throws IOException {
        if (options.contains(StandardOpenOption.APPEND)) {
            throw new UnsupportedOperationException("APPEND not allowed");
        }
        boolean writable = options.contains(StandardOpenOption.WRITE);
        boolean readable = options.contains(StandardOpenOption.READ) || !writable;
        Opened o = openReal(path, options, new HashSet<>(options), writable, attrs);
        return new VerifyingAsyncFileChannel(o.channel(), o.state(), fs.executor(), readable, writable);
    }

    /**
     * Opens the host file under {@code path} with {@code hostOptions} and finds its verification state; a
     * truncating open forgets the file's history.
     */
    private Opened openReal(Path path, Set<? extends OpenOption> options, Set<OpenOption> hostOptions,
                            boolean writable, FileAttribute<?>... attrs) throws IOException {
        Path real = unwrap(path);
        if (writable) {
            // A verifying channel reads back what it wrote.
            hostOptions.add(StandardOpenOption.READ);
        }
        FileState state = fs.state(real);
        if (options.contains(StandardOpenOption.TRUNCATE_EXISTING) && writable) {
            state.reset(true);
        }
        return new Opened(host.newFileChannel(real, hostOptions, attrs), state);
    }

    /** A host channel and the state of its file. */
    private record Opened(FileChannel channel, FileState state) {
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        DirectoryStream<Path> ds = host.newDirectoryStream(unwrap(dir), p -> filter.accept(fs.wrap(p)));
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                Iterator<Path> it = ds.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Path next() {
                        return fs.wrap(it.next());
                    }
                };
            }

            @Override
            public void close() throws IOException {
                ds.close();
            }
        };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        host.createDirectory(unwrap(dir), attrs);
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        host.createSymbolicLink(unwrap(link), unwrap(target), attrs);
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        host.createLink(unwrap(link), unwrap(existing));
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        return fs.wrap(host.readSymbolicLink(unwrap(link)));
    }

    @Override
    public void delete(Path path) throws IOException {
        host.delete(unwrap(path));
        fs.forget(unwrap(path));
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        host.copy(unwrap(source), unwrap(target), options);
        fs.forget(unwrap(target));
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        host.move(unwrap(source), unwrap(target), options);
        fs.forget(unwrap(source));
        fs.forget(unwrap(target));
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        return host.isSameFile(unwrap(path), unwrap(path2));
    }

    @Override
    public boolean isHidden(Path path) throws IOException {
        return host.isHidden(unwrap(path));
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        return host.getFileStore(unwrap(path));
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        host.checkAccess(unwrap(path), modes);
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        return host.getFileAttributeView(unwrap(path), type, options);
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        return host.readAttributes(unwrap(path), type, options);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        return host.readAttributes(unwrap(path), attributes, options);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        host.setAttribute(unwrap(path), attribute, value, options);
    }
}
