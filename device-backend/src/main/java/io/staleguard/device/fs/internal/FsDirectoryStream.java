package io.staleguard.device.fs.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The entries of one directory, taken when the stream is opened, each resolved against the directory path as the
 * caller gave it; the filter is applied as the entries are iterated. One iterator per stream, as the JDK allows.
 */
final class FsDirectoryStream implements DirectoryStream<Path> {

    private final Path dir;
    private final List<String> names;
    private final Filter<? super Path> filter;
    private boolean closed;
    private boolean iterated;

    FsDirectoryStream(Path dir, List<String> names, Filter<? super Path> filter) {
        this.dir = dir;
        this.names = names;
        this.filter = filter;
    }

    @Override
    public synchronized Iterator<Path> iterator() {
        if (closed) {
            throw new IllegalStateException("Directory stream is closed");
        }
        if (iterated) {
            throw new IllegalStateException("Iterator already obtained");
        }
        iterated = true;
        Iterator<String> it = names.iterator();
        return new Iterator<>() {
            private Path next;

            @Override
            public boolean hasNext() {
                while (next == null && !isClosed() && it.hasNext()) {
                    Path p = dir.resolve(it.next());
                    try {
                        if (filter == null || filter.accept(p)) {
                            next = p;
                        }
                    } catch (IOException e) {
                        throw new DirectoryIteratorException(e);
                    } catch (UncheckedIOException e) {
                        throw new DirectoryIteratorException(e.getCause());
                    }
                }
                return next != null;
            }

            @Override
            public Path next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Path p = next;
                next = null;
                return p;
            }
        };
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
