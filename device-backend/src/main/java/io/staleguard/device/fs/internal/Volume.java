package io.staleguard.device.fs.internal;

import io.staleguard.device.FileLocation;
import io.staleguard.device.FileLocator;
import io.staleguard.device.IoCaller;
import io.staleguard.device.oracle.ShortTransferTracker;
import io.staleguard.device.sim.SimulatedDevice;
import io.staleguard.device.sim.internal.DeviceFaults;
import io.staleguard.device.sim.kernel.FilePageCache;
import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated filesystem's state: the namespace (directories and inodes, in memory), the allocator of the
 * device's blocks, the file data layer and the metadata journal. Namespace operations are serialized on the
 * volume; file data moves without its lock. Errors are those of Linux, in the JDK's exception types.
 */
public final class Volume {

    /** The longest name Linux accepts in one path component, in bytes. */
    public static final int NAME_MAX = 255;

    private static final AtomicLong IDS = new AtomicLong(1);
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");
    static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwxr-xr-x");

    private final long id = IDS.getAndIncrement();
    private final SimulatedDevice device;
    private final ExtentAllocator allocator;
    private final FileData data;
    private final MetadataJournal journal = new MetadataJournal();
    private final Inode root;
    private final Set<Channel> openChannels = ConcurrentHashMap.newKeySet();
    /** Regular files whose blocks are not given back yet, for {@link #locate}. */
    private final Set<Inode> files = ConcurrentHashMap.newKeySet();
    private long nextInode = 2;
    private volatile boolean open = true;

    /** A fresh, empty filesystem over all of {@code device}'s blocks. */
    public Volume(SimulatedDevice device) {
        this.device = device;
        this.allocator = new ExtentAllocator(device.capacity() / device.logicalBlockSize());
        this.data = new FileData(device, allocator);
        this.root = new Inode(1, true, DIRECTORY_MODE);
        root.links(2);
        root.parent(root);
        data.namer(this::pathOf);
        allocator.onQuarantineRelease(() -> data.events().quarantineReleased());
    }

    /**
     * Where persistence events go from now on ({@code null} or {@link PersistenceEvents#NONE}: nowhere). The crash
     * explorer's log listens while it records a run.
     */
    public void events(PersistenceEvents listener) {
        data.events(listener);
    }

    /** The persistence listener now. */
    public PersistenceEvents events() {
        return data.events();
    }

    /** Whether freed blocks are held back (see {@link ExtentAllocator#quarantine}). */
    public void quarantine(boolean on) {
        allocator.quarantine(on);
    }

    /** The inode at {@code path} for a durability claim, as {@link #lookup} finds it. */
    public Inode inodeOf(FsPath path) throws IOException {
        return lookup(path);
    }

    /** {@code f}'s current absolute path, as persistence events name it. */
    public String pathOf(Inode f) {
        return pathName(f);
    }

    /**
     * The namespace now, detached: every inode reachable from the root with its size, block map, permissions and
     * times. Files that are unlinked but still open are not in it (a power loss would free them). The caller makes
     * sure the data it describes is on the media (a flush first), since the image holds block maps, not bytes.
     */
    public synchronized NamespaceImage snapshot() {
        checkOpen();
        Map<Long, NamespaceImage.InodeImage> out = new HashMap<>();
        ArrayDeque<Inode> todo = new ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            Inode i = todo.poll();
            TreeMap<String, Long> names = new TreeMap<>();
            if (i.isDirectory()) {
                for (Map.Entry<String, Inode> c : i.children().entrySet()) {
                    names.put(c.getKey(), c.getValue().number());
                    todo.add(c.getValue());
                }
            }
            out.put(i.number(), new NamespaceImage.InodeImage(i.number(), i.isDirectory(),
                    i.isDirectory() ? 0 : i.size(), i.isDirectory() ? ExtentList.EMPTY : i.extents(), i.permissions(),
                    i.modifiedNanos(), i.accessNanos(), i.changedNanos(), i.createdNanos(), names));
        }
        return new NamespaceImage(out, nextInode);
    }

    /**
     * Makes the volume hold {@code image}, as a mount after a power loss finds it: every channel still open is
     * closed without touching the device (later calls on it throw {@link java.nio.channels.ClosedChannelException}),
     * the files' page caches are forgotten (the caller has dropped their pages, or flushed them), the inodes are
     * rebuilt from the image (only those reachable from the root: an orphan's blocks are free again; a file's blocks
     * past its size are cut), and the allocator holds exactly their blocks. The persistence listener is removed and quarantine ends.
     *
     * @throws IllegalArgumentException if the image names a directory twice or two files share a block
     */
    public synchronized void restore(NamespaceImage image) {
        checkOpen();
        data.events(PersistenceEvents.NONE);
        List<Channel> stale = List.copyOf(openChannels);
        openChannels.clear();
        for (Channel c : stale) {
            try {
                c.close();
            } catch (IOException e) {
                // The volume's close hook is a no-op for a channel it no longer holds; nothing of the device runs.
            }
        }
        for (Inode f : files) {
            data.forget(f);
        }
        Map<Long, Inode> built = new HashMap<>();
        List<Inode> regular = new ArrayList<>();
        rebuild(root, image.inode(NamespaceImage.ROOT), image, built, regular);
        files.clear();
        files.addAll(regular);
        List<ExtentList> used = new ArrayList<>(regular.size());
        for (Inode f : regular) {
            used.add(f.extents());
        }
        try {
            allocator.rebuild(used);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("namespace image: " + e.getMessage(), e);
        }
        nextInode = image.nextInode();
        for (Inode f : regular) {
            data.adopt(f);
        }
    }

    /** Fills directory {@code dir} (an inode already made) with the image's names below it, depth first. */
    private void rebuild(Inode dir, NamespaceImage.InodeImage img, NamespaceImage image, Map<Long, Inode> built,
                         List<Inode> regular) {
        ArrayDeque<Object[]> todo = new ArrayDeque<>();
        todo.add(new Object[] {dir, img});
        built.put(dir.number(), dir);
        while (!todo.isEmpty()) {
            Object[] next = todo.poll();
            Inode d = (Inode) next[0];
            NamespaceImage.InodeImage di = (NamespaceImage.InodeImage) next[1];
            d.children().clear();
            d.restoreMetadata(di.permissions(), di.modifiedNanos(), di.accessNanos(), di.changedNanos(),
                    di.createdNanos());
            int subdirs = 0;
            for (Map.Entry<String, Long> c : di.children().entrySet()) {
                NamespaceImage.InodeImage ci = image.inode(c.getValue());
                if (built.containsKey(ci.number())) {
                    throw new IllegalArgumentException("namespace image: inode " + ci.number() + " is named twice ("
                            + c.getKey() + " in directory " + di.number() + "); the filesystem has no hard links");
                }
                Inode child = new Inode(ci.number(), ci.dir(), ci.permissions());
                child.named(d, c.getKey());
                built.put(ci.number(), child);
                d.children().put(c.getKey(), child);
                if (ci.dir()) {
                    subdirs++;
                    child.links(2);
                    todo.add(new Object[] {child, ci});
                } else {
                    // Blocks past the size go, as a truncate gives them back: a later write past the end must find holes.
                    long keep = (ci.size() + device.logicalBlockSize() - 1) / device.logicalBlockSize();
                    child.extents(ci.extents().truncatedTo(keep, (first, count) -> { }));
                    child.size(ci.size());
                    child.restoreMetadata(ci.permissions(), ci.modifiedNanos(), ci.accessNanos(), ci.changedNanos(),
                            ci.createdNanos());
                    regular.add(child);
                }
            }
            d.links(2 + subdirs);
        }
    }

    /** This filesystem's id, unique in the JVM: the authority of its URIs. */
    public long id() {
        return id;
    }

    /** The device under the files. */
    public SimulatedDevice device() {
        return device;
    }

    /** The allocator of the device's blocks. */
    public ExtentAllocator allocator() {
        return allocator;
    }

    /** The file data layer. */
    public FileData data() {
        return data;
    }

    /** The journal of metadata operations and fsyncs. */
    public MetadataJournal journal() {
        return journal;
    }

    /** Whether the filesystem is open. */
    public boolean isOpen() {
        return open;
    }

    /** Throws {@link ClosedFileSystemException} once the filesystem is closed. */
    public void checkOpen() {
        if (!open) {
            throw new ClosedFileSystemException();
        }
    }

    /** Closes the filesystem and every channel still open on it; the device stays open. */
    public void close() throws IOException {
        synchronized (this) {
            if (!open) {
                return;
            }
            open = false;
        }
        IOException first = null;
        for (Channel c : List.copyOf(openChannels)) {
            try {
                c.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * The inode at {@code path}.
     *
     * @throws NoSuchFileException     if a component is missing
     * @throws FileSystemException     "Not a directory" or "File name too long", as Linux's lookup says it
     */
    public synchronized Inode lookup(FsPath path) throws IOException {
        checkOpen();
        Inode at = root;
        for (String name : path.absoluteNames()) {
            at = step(at, name, path);
            if (at == null) {
                throw new NoSuchFileException(path.toString());
            }
        }
        return at;
    }

    /** The inode at {@code path}, or null if there is none (other lookup errors are thrown). */
    public synchronized Inode find(FsPath path) throws IOException {
        try {
            return lookup(path);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private Inode step(Inode dir, String name, FsPath whole) throws IOException {
        checkName(name, whole);
        if (!dir.isDirectory()) {
            throw new FileSystemException(whole.toString(), null, "Not a directory");
        }
        if (name.equals(".")) {
            return dir;
        }
        if (name.equals("..")) {
            return dir.parent();
        }
        return dir.children().get(name);
    }

    private static void checkName(String name, FsPath whole) throws FileSystemException {
        if (name.length() > NAME_MAX / 3 && name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > NAME_MAX) {
            throw new FileSystemException(whole.toString(), null, "File name too long");
        }
    }

    /** The directory that holds {@code path}'s last name, checked as Linux checks it before creating a name. */
    private Inode parentDirectory(FsPath path) throws IOException {
        List<String> names = path.absoluteNames();
        if (names.isEmpty()) {
            throw new FileAlreadyExistsException(path.toString());
        }
        Inode at = root;
        for (int i = 0; i < names.size() - 1; i++) {
            at = step(at, names.get(i), path);
            if (at == null) {
                throw new NoSuchFileException(path.toString());
            }
        }
        checkName(names.get(names.size() - 1), path);
        if (!at.isDirectory()) {
            throw new FileSystemException(path.toString(), null, "Not a directory");
        }
        return at;
    }

    private static String lastName(FsPath path) {
        List<String> names = path.absoluteNames();
        return names.get(names.size() - 1);
    }

    /** Creates a directory at {@code path}. */
    public synchronized Inode createDirectory(FsPath path, Set<PosixFilePermission> mode) throws IOException {
        checkOpen();
        Inode parent = parentDirectory(path);
        String name = lastName(path);
        if (name.equals(".") || name.equals("..") || parent.children().containsKey(name)) {
            throw new FileAlreadyExistsException(path.toString());
        }
        Inode dir = new Inode(nextInode++, true, mode != null ? mode : DIRECTORY_MODE);
        dir.links(2);
        dir.named(parent, name);
        parent.children().put(name, dir);
        parent.links(parent.links() + 1);
        parent.touch();
        journal.record(MetadataJournal.Kind.MKDIR, path.absoluteString(), null, dir.number());
        PersistenceEvents ev = data.events();
        if (ev != PersistenceEvents.NONE) {
            ev.created(parent.number(), name, dir.number(), true, pathName(dir));
        }
        return dir;
    }

    /**
     * The regular file at {@code path} for a channel: created if asked, refused as Linux refuses it. The caller
     * must {@link #opened} the channel.
     */
    public synchronized Inode openFile(FsPath path, boolean create, boolean createNew, boolean write,
                                       Set<PosixFilePermission> mode) throws IOException {
        checkOpen();
        if (create || createNew) {
            Inode parent = parentDirectory(path);
            String name = lastName(path);
            Inode existing = name.equals(".") || name.equals("..") ? parent : parent.children().get(name);
            if (existing != null) {
                if (createNew) {
                    throw new FileAlreadyExistsException(path.toString());
                }
                return checkOpenable(existing, path, write);
            }
            Inode f = new Inode(nextInode++, false, mode != null ? mode : FILE_MODE);
            f.named(parent, name);
            files.add(f);
            parent.children().put(name, f);
            parent.touch();
            journal.record(MetadataJournal.Kind.CREATE, path.absoluteString(), null, f.number());
            PersistenceEvents ev = data.events();
            if (ev != PersistenceEvents.NONE) {
                ev.created(parent.number(), name, f.number(), false, pathName(f));
            }
            return f;
        }
        return checkOpenable(lookup(path), path, write);
    }

    private static Inode checkOpenable(Inode f, FsPath path, boolean write) throws FileSystemException {
        if (f.isDirectory() && write) {
            throw new FileSystemException(path.toString(), null, "Is a directory");
        }
        return f;
    }

    /** A channel on {@code f} was opened. */
    public synchronized void opened(Inode f, Channel channel) {
        f.openChannels(f.openChannels() + 1);
        openChannels.add(channel);
    }

    /**
     * A channel on {@code f} was closed: the device's short-transfer tracker is told, as for a raw device channel,
     * and an unlinked file's blocks go back with its last channel.
     */
    public synchronized void closed(Inode f, Channel channel, IoCaller caller) {
        if (!openChannels.contains(channel)) {
            // Closed by a restore (or never opened): the channel belongs to a namespace that is gone.
            return;
        }
        if (caller != null && !device.isClosed()) {
            FilePageCache cache = f.pageCache();
            if (cache != null && device.shortTransfers().pending() > 0) {
                // The tracker reads a pending short write's tail back from the media, and on a kernel path the
                // caller's retry may still be in the file's pages: write them back first, as the device-wide cache's
                // flusher of every 2 ms used to. Only then, so that a clean close stays the kernel's.
                cache.fsync();
            }
            device.callerClosed(caller);
        }
        if (openChannels.remove(channel)) {
            f.openChannels(f.openChannels() - 1);
            if (!f.isDirectory() && f.openChannels() == 0) {
                PersistenceEvents ev = data.events();
                if (ev != PersistenceEvents.NONE) {
                    ev.closed(f.number(), pathName(f));
                }
            }
            if (!f.isDirectory() && f.links() == 0 && f.openChannels() == 0) {
                release(f);
            }
        }
    }

    private void release(Inode f) {
        data.release(f);
        files.remove(f);
    }

    /**
     * The file and file offset of device byte {@code deviceOffset}, or null if no file owns its block: the
     * filesystem's {@link FileLocator}. Takes no lock (the device may hold its own while it asks): the block maps,
     * parents and names it reads are volatile, so during a concurrent rename it gives the old or the new path.
     */
    public FileLocation locate(long deviceOffset) {
        int bs = device.logicalBlockSize();
        long block = deviceOffset / bs;
        for (Inode f : files) {
            long fileBlock = f.extents().fileBlockOn(block);
            if (fileBlock >= 0) {
                String path = pathName(f);
                return path == null ? null : new FileLocation(path, fileBlock * bs + deviceOffset % bs);
            }
        }
        return null;
    }

    /** {@code f}'s absolute path from its name and its parents' names, or its last one and " (deleted)". */
    private String pathName(Inode f) {
        String gone = f.unlinkedAs();
        if (gone != null) {
            return gone + " (deleted)";
        }
        StringBuilder path = new StringBuilder();
        int depth = 0;
        for (Inode at = f; at != root; at = at.parent()) {
            String name = at == null ? null : at.name();
            if (name == null || ++depth > 4096) {
                return null;
            }
            path.insert(0, name).insert(0, '/');
        }
        return path.length() == 0 ? "/" : path.toString();
    }

    /** The names in directory {@code path}, sorted. */
    public synchronized List<String> list(FsPath path) throws IOException {
        Inode dir = lookup(path);
        if (!dir.isDirectory()) {
            throw new NotDirectoryException(path.toString());
        }
        return new ArrayList<>(dir.children().keySet());
    }

    /** Removes the name {@code path}: a file, or an empty directory. */
    public synchronized void delete(FsPath path) throws IOException {
        checkOpen();
        if (path.absoluteNames().isEmpty()) {
            throw new FileSystemException(path.toString(), null, "Device or resource busy");
        }
        Inode parent = parentDirectory(path);
        String name = lastName(path);
        Inode victim = parent.children().get(name);
        if (victim == null) {
            if (name.equals(".") || name.equals("..")) {
                throw new FileSystemException(path.toString(), null, name.equals(".") ? "Invalid argument"
                        : "Directory not empty");
            }
            throw new NoSuchFileException(path.toString());
        }
        unlink(parent, name, victim, path, true);
    }

    private void unlink(Inode parent, String name, Inode victim, FsPath path, boolean tell) throws IOException {
        if (victim.isDirectory() && !victim.children().isEmpty()) {
            throw new DirectoryNotEmptyException(path.toString());
        }
        PersistenceEvents ev = tell ? data.events() : PersistenceEvents.NONE;
        if (ev != PersistenceEvents.NONE) {
            ev.removed(parent.number(), name, victim.number(), victim.isDirectory(), pathName(victim));
        }
        parent.children().remove(name);
        parent.touch();
        if (victim.isDirectory()) {
            parent.links(parent.links() - 1);
            victim.links(0);
            journal.record(MetadataJournal.Kind.RMDIR, path.absoluteString(), null, victim.number());
        } else {
            victim.links(victim.links() - 1);
            journal.record(MetadataJournal.Kind.UNLINK, path.absoluteString(), null, victim.number());
            if (victim.links() == 0) {
                victim.unlinkedAs(path.absoluteString());
                if (victim.openChannels() == 0) {
                    release(victim);
                }
            }
        }
    }

    /**
     * Moves {@code source}'s name to {@code target} in one step, as {@code rename(2)} does.
     *
     * @param replace whether an existing target may be replaced (always, for an atomic move, as on Linux)
     */
    public synchronized void rename(FsPath source, FsPath target, boolean replace) throws IOException {
        checkOpen();
        Inode fromDir = parentDirectory(source);
        String fromName = lastName(source);
        Inode moving = fromDir.children().get(fromName);
        if (moving == null) {
            throw new NoSuchFileException(source.toString());
        }
        Inode toDir = parentDirectory(target);
        String toName = lastName(target);
        Inode existing = toDir.children().get(toName);
        if (existing == moving) {
            return;
        }
        if (moving.isDirectory()) {
            for (Inode d = toDir; ; d = d.parent()) {
                if (d == moving) {
                    throw new FileSystemException(source.toString(), target.toString(), "Invalid argument");
                }
                if (d == root) {
                    break;
                }
            }
        }
        if (existing != null) {
            if (!replace) {
                throw new FileAlreadyExistsException(target.toString());
            }
            if (existing.isDirectory() && !moving.isDirectory()) {
                throw new FileSystemException(source.toString(), target.toString(), "Is a directory");
            }
            if (!existing.isDirectory() && moving.isDirectory()) {
                throw new FileSystemException(source.toString(), target.toString(), "Not a directory");
            }
            unlink(toDir, toName, existing, target, false);
        }
        PersistenceEvents ev = data.events();
        String fromPath = ev == PersistenceEvents.NONE ? null : pathName(moving);
        fromDir.children().remove(fromName);
        toDir.children().put(toName, moving);
        moving.named(toDir, toName);
        if (moving.isDirectory() && fromDir != toDir) {
            fromDir.links(fromDir.links() - 1);
            toDir.links(toDir.links() + 1);
        }
        fromDir.touch();
        toDir.touch();
        journal.record(MetadataJournal.Kind.RENAME, source.absoluteString(), target.absoluteString(), moving.number());
        if (ev != PersistenceEvents.NONE) {
            ev.renamed(fromDir.number(), fromName, toDir.number(), toName, moving.number(), moving.isDirectory(),
                    existing == null ? 0 : existing.number(), fromPath, pathName(moving));
        }
    }

    /** Records a change of times or permissions. */
    public void attributesSet(FsPath path, Inode f) {
        journal.record(MetadataJournal.Kind.SET_ATTRIBUTES, path.absoluteString(), null, f.number());
        PersistenceEvents ev = data.events();
        if (ev != PersistenceEvents.NONE) {
            ev.attributes(f.number(), pathName(f));
        }
    }

    /** Cuts a file to {@code size}. */
    public void truncate(FsPath path, Inode f, long size) throws IOException {
        long before = f.size();
        if (size < before) {
            discardTail(f, size, before);
            data.truncate(f, size);
            journal.record(MetadataJournal.Kind.TRUNCATE, path.absoluteString(), null, f.number());
            PersistenceEvents ev = data.events();
            if (ev != PersistenceEvents.NONE) {
                ev.truncated(f.number(), pathName(f), before, size);
            }
        }
    }

    /**
     * Tells the short-transfer tracker which device bytes of {@code f} a truncate from {@code before} to {@code size}
     * cuts off: a write torn by an error whose tail lay there was cut off by the program, not taken as written.
     */
    private void discardTail(Inode f, long size, long before) {
        ShortTransferTracker tracker = device.shortTransfers();
        if (tracker.pending() == 0) {
            return;
        }
        int bs = device.logicalBlockSize();
        ExtentList map = f.extents();
        for (long at = size; at < before; ) {
            long run = Math.min(map.bytesFrom(at, bs), before - at);
            int i = map.find(at / bs);
            if (i >= 0) {
                tracker.discarded(map.deviceOffset(i, at, bs), run);
            }
            at += run;
        }
    }

    /**
     * {@code force} of a channel: on a kernel path with a page cache per file, the writeback of this file's pages
     * (none for a directory); else the device's cache flush. Either way the short writes this thread left pending
     * through {@code caller} are settled (as for a raw device channel), then the journal's fsync entry and the
     * persistence event ({@code metadata}: {@code force(true)}).
     *
     * <p>Errors as Linux reports them ({@code errseq_t}): every force counts against the device's injected fsync
     * errors, in call order. A failing one fails the file's writeback (its pages stay clean and cached, their data
     * never reaches the media) and records the error in the file's page cache; each open file then reports it once,
     * at its next force, through {@code cursor} (sampled when the channel was opened), and a retry succeeds with
     * nothing left to write back. A failing force with nothing to write back (a directory, a file written only with
     * direct I/O, a device without a page cache) is the device's flush failing: it throws to its caller only. A
     * failed force is told to the persistence listener as failed, so the crash explorer treats the file's unsynced
     * writes as lost.
     *
     * @param cursor the channel's writeback error cursor, or null (a directory's channel)
     * @throws IOException {@code "Input/output error"} when this force reports a writeback error
     */
    public void fsync(FsPath path, Inode f, IoCaller caller, boolean metadata, int[] cursor) throws IOException {
        sync(path, f, caller, metadata, false, cursor);
    }

    /**
     * The sync that ends a write of a {@code SYNC} ({@code metadata}) or {@code DSYNC} channel: the same device calls
     * and error reporting as {@link #fsync}, but the persistence listener is told it belongs to that write alone.
     */
    public void syncWrite(FsPath path, Inode f, IoCaller caller, boolean metadata, int[] cursor) throws IOException {
        sync(path, f, caller, metadata, true, cursor);
    }

    private void sync(FsPath path, Inode f, IoCaller caller, boolean metadata, boolean ofWrite, int[] cursor)
            throws IOException {
        FilePageCache cache = f.pageCache();
        boolean failed = false;
        if (data.cachesFiles()) {
            // fsync(2) writes back this file's pages only; a directory's metadata is not on the device.
            if (device.isClosed()) {
                device.force(caller != null ? caller : IoCaller.DEVICE);
            }
            boolean failing = fsyncFails();
            if (cache != null && cursor != null) {
                synchronized (cursor) {
                    failed = cache.fsync(cursor, failing) != 0;
                }
            } else {
                if (cache != null) {
                    cache.fsync();
                }
                failed = failing;
            }
            if (!failed) {
                device.shortTransfers().flushedBy(caller, Thread.currentThread().getName());
            }
        } else {
            try {
                if (caller != null) {
                    device.force(caller);
                } else {
                    device.flush();
                }
            } catch (IOException e) {
                if (device.isClosed()) {
                    throw e;
                }
                failed = true;
            }
        }
        journal.record(f.isDirectory() ? MetadataJournal.Kind.FSYNC_DIRECTORY : MetadataJournal.Kind.FSYNC,
                path.absoluteString(), null, f.number());
        PersistenceEvents ev = data.events();
        if (ev != PersistenceEvents.NONE && ofWrite) {
            ev.syncedWrite(f.number(), pathName(f), metadata, failed, Thread.currentThread().getName());
        } else if (ev != PersistenceEvents.NONE) {
            ev.synced(f.number(), pathName(f), f.isDirectory(), metadata, failed, Thread.currentThread().getName());
        }
        if (failed) {
            throw new IOException("Input/output error");
        }
    }

    /** The cursor a channel opened on {@code f} now starts from ({@link FilePageCache#sampleWritebackError}). */
    public int[] writebackCursor(Inode f) {
        FilePageCache cache = f.pageCache();
        return new int[] {cache == null ? 0 : cache.sampleWritebackError()};
    }

    /** Whether this force consumes one of the device's injected fsync errors (it does not reach the device's own force). */
    private boolean fsyncFails() {
        return DeviceFaults.of(device).takeFsyncFailure();
    }

    /** The directory's size as {@code stat} shows it: one block. */
    public long directorySize() {
        return device.logicalBlockSize();
    }

    @Override
    public String toString() {
        return "simulated filesystem #" + id + " on " + device.describe();
    }
}
