package io.staleguard.junit.internal.fs;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import io.staleguard.device.integrity.ProtectionFormat;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;

/**
 * A filesystem that verifies every file opened through it: a view of a host directory tree whose channels compute
 * protection information when a write is submitted, verify it by reading back what landed, and check every read
 * with the history oracle. Created per injected {@code Path}; closing it stops its I/O threads.
 */
public final class VerifyingFileSystem extends FileSystem {

    private final VerifyingFileSystemProvider provider;
    private final FileSystem host;
    private final Path root;
    private final int blockSize;
    private final ProtectionFormat protection;
    private final AsyncExecutor executor;
    private final Map<Path, FileState> files = new ConcurrentHashMap<>();
    private final List<FileState> everFiles = new CopyOnWriteArrayList<>();
    private final AtomicLong operations = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile boolean open = true;

    /**
     * A verifying view of the host directory {@code root}.
     *
     * @param root       an existing host directory (the FILE backend's temp dir, or a mounted loop filesystem)
     * @param blockSize  the protection interval and oracle block size
     * @param protection the PI format ({@code NONE} skips the guard check, not the oracle)
     * @param seed       drives the delays of asynchronous operations
     * @param name       a name for threads
     */
    public VerifyingFileSystem(Path root, int blockSize, ProtectionFormat protection, long seed, String name) {
        this.host = root.getFileSystem();
        this.root = root.toAbsolutePath().normalize();
        this.provider = new VerifyingFileSystemProvider(this, host.provider());
        this.blockSize = blockSize;
        this.protection = protection;
        this.executor = new AsyncExecutor(name, seed);
    }

    /** The verifying path of the root directory: what a test gets injected. */
    public Path root() {
        return new VerifyingPath(this, root);
    }

    /** The host directory under the verifying view. */
    public Path hostRoot() {
        return root;
    }

    /** Wraps a host path. */
    Path wrap(Path host) {
        return new VerifyingPath(this, host);
    }

    AsyncExecutor executor() {
        return executor;
    }

    /** The verification state of the file at host path {@code real}, created on first open. */
    FileState state(Path real) {
        Path key = real.toAbsolutePath().normalize();
        return files.computeIfAbsent(key, k -> {
            boolean existed;
            try {
                existed = Files.exists(k) && Files.size(k) > 0;
            } catch (IOException e) {
                existed = true;
            }
            FileState s = new FileState(k, blockSize, protection, existed, operations, bytes);
            everFiles.add(s);
            return s;
        });
    }

    /** Forgets the history of {@code real} (and of files under it), which changed behind the channels' back. */
    void forget(Path real) {
        Path key = real.toAbsolutePath().normalize();
        files.entrySet().removeIf(e -> {
            if (e.getKey().startsWith(key)) {
                e.getValue().reset(false);
                return true;
            }
            return false;
        });
    }

    /** Exact counts per kind over every file ever opened. */
    public Map<ViolationKind, Long> counts() {
        Map<ViolationKind, Long> all = new EnumMap<>(ViolationKind.class);
        for (FileState s : everFiles) {
            s.counts().forEach((k, n) -> all.merge(k, n, Long::sum));
        }
        all.values().removeIf(n -> n == 0);
        return all;
    }

    /** The retained violations of every file ever opened, with the file named in each detail. */
    public List<Violation> violations() {
        List<Violation> all = new ArrayList<>();
        everFiles.forEach(s -> all.addAll(s.violations()));
        return all;
    }

    /** Verified read and write calls so far. */
    public long operations() {
        return operations.get();
    }

    /** Bytes read and written through verified calls so far. */
    public long bytes() {
        return bytes.get();
    }

    @Override
    public VerifyingFileSystemProvider provider() {
        return provider;
    }

    /** Waits for pending asynchronous operations and stops the I/O threads. */
    @Override
    public void close() {
        open = false;
        executor.close();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public String getSeparator() {
        return host.getSeparator();
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return StreamSupport.stream(host.getRootDirectories().spliterator(), false).map(this::wrap).toList();
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return host.getFileStores();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return host.supportedFileAttributeViews();
    }

    @Override
    public Path getPath(String first, String... more) {
        return wrap(host.getPath(first, more));
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher m = host.getPathMatcher(syntaxAndPattern);
        return p -> m.matches(p instanceof VerifyingPath v ? v.delegate() : p);
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return host.getUserPrincipalLookupService();
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("watch services are not supported on a verifying filesystem");
    }

    @Override
    public String toString() {
        return "verifying filesystem on " + root;
    }
}
