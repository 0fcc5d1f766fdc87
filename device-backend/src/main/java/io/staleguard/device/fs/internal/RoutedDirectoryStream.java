package io.staleguard.device.fs.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.function.UnaryOperator;

/**
 * A directory stream whose entries are default-filesystem paths: each entry of the underlying stream (the
 * platform's, or a routed directory's on its target filesystem) is mapped to the path the caller's directory
 * path resolves it to, as the JDK's stream resolves each name against the directory as given.
 */
public final class RoutedDirectoryStream implements DirectoryStream<Path> {

    private final DirectoryStream<Path> underlying;
    private final UnaryOperator<Path> toCaller;

    /**
     * @param underlying the stream to map
     * @param toCaller   an entry of {@code underlying} to the caller's path for it
     */
    public RoutedDirectoryStream(DirectoryStream<Path> underlying, UnaryOperator<Path> toCaller) {
        this.underlying = underlying;
        this.toCaller = toCaller;
    }

    @Override
    public Iterator<Path> iterator() {
        Iterator<Path> it = underlying.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Path next() {
                return toCaller.apply(it.next());
            }
        };
    }

    @Override
    public void close() throws IOException {
        underlying.close();
    }
}
