package io.staleguard.device.file;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.file.internal.PosixMedia;
import java.io.IOException;
import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * A file or block device a real backend's builder opened for a {@link RealBlockDevice}: once
 * through the page cache and once with O_DIRECT. The builder sizes it, then hands it to the
 * device, which closes it; a builder that fails before that closes it itself.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class RealTarget implements AutoCloseable {

    private final PosixMedia media;

    private RealTarget(PosixMedia media) {
        this.media = media;
    }

    /**
     * Opens {@code path} (a regular file or a block device). When the filesystem refuses O_DIRECT
     * and {@code requireDirect} is false, direct calls fail with a clear message instead of the
     * whole open failing.
     *
     * @param create whether to create a missing file
     */
    public static RealTarget open(Path path, int blockSize, boolean create, boolean requireDirect) throws IOException {
        return new RealTarget(PosixMedia.open(path, blockSize, create, requireDirect));
    }

    /** The opened path. */
    public Path path() {
        return media.path();
    }

    /** Its size in bytes. */
    public long size() throws IOException {
        return media.size();
    }

    /** Sets a regular file's size (extending it sparsely). */
    public void truncate(long size) throws IOException {
        media.truncate(size);
    }

    /** Closes both descriptors. */
    @Override
    public void close() throws IOException {
        media.close();
    }

    PosixMedia posix() {
        return media;
    }
}
