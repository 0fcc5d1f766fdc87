package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.internal.ExtentList;
import io.staleguard.device.fs.internal.NamespaceImage;
import io.staleguard.device.fs.internal.NamespaceImage.InodeImage;
import io.staleguard.device.sim.BlockOverlay;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a crash image into what the device and the volume mount: the blocks in which it differs from the base (a
 * {@link BlockOverlay} over the frozen base media) and its namespace (names, sizes and block maps). A page of the
 * image that is the base's own page object is on the media already and costs nothing; every other page goes into
 * the overlay at a home the recorded run gave that file block. A state therefore costs the blocks its kept and torn
 * writes touched, never a copy of the image. The last page of a file is whole in the image, zeros past its size,
 * so a state whose size cut a block leaves no stale bytes past the end of the file on the media.
 */
final class OverlayMount {

    /** One state as the device and the volume take it. */
    record Mount(NamespaceImage namespace, BlockOverlay overlay) {
    }

    private final TreeImage base;
    private final NamespaceImage baseNamespace;
    private final NamespaceImage end;
    private final Set<Long> cleanedTails;
    private final RecordedBlockMap homes;
    private final int blockSize;

    /**
     * A mount over {@code base} (read from the media by {@link MediaImageReader}, with the pages it cleaned) and its
     * namespace; {@code end} (the namespace after the run) lends the permissions and times of inodes the run made.
     */
    OverlayMount(MediaImageReader.Read base, NamespaceImage baseNamespace, NamespaceImage end, RecordedBlockMap homes) {
        this.base = base.image();
        this.cleanedTails = base.cleanedTails();
        this.baseNamespace = baseNamespace;
        this.end = end;
        this.homes = homes;
        this.blockSize = this.base.pageSize();
    }

    /** The mount of {@code state}, an image built from this mount's base. */
    Mount of(TreeImage state) {
        if (state.pageSize() != blockSize) {
            throw new IllegalArgumentException("a crash image of " + state.pageSize() + "-byte pages on a filesystem of "
                    + blockSize + "-byte blocks");
        }
        BlockOverlay overlay = new BlockOverlay(blockSize);
        // Without a quarantine release no device block served two files of the run; only then is there anything to
        // check, and the check's cost (a set entry per block) is paid only then.
        Set<Long> taken = homes.reusedBlocks() ? new HashSet<>() : null;
        Set<Long> wanted = taken == null ? null : wanted(state);
        Map<Long, InodeImage> inodes = new HashMap<>();
        ArrayDeque<Long> dirs = new ArrayDeque<>();
        dirs.add(TreeImage.ROOT);
        inodes.put(TreeImage.ROOT, directory(state, TreeImage.ROOT));
        while (!dirs.isEmpty()) {
            long dir = dirs.poll();
            for (long ino : state.children(dir).values()) {
                if (state.isDirectory(ino)) {
                    inodes.put(ino, directory(state, ino));
                    dirs.add(ino);
                } else {
                    inodes.put(ino, file(state, ino, overlay, taken, wanted));
                }
            }
        }
        return new Mount(new NamespaceImage(inodes, end.nextInode()), overlay);
    }

    private InodeImage directory(TreeImage state, long ino) {
        InodeImage was = baseNamespace.inode(ino);
        if (was != null && state.node(ino) == base.node(ino)) {
            return was;
        }
        return metadataOf(ino, true).withChildren(new TreeMap<>(state.children(ino)));
    }

    /** Every device block a file of {@code state} would take at its home: a spare block must be none of them. */
    private Set<Long> wanted(TreeImage state) {
        Set<Long> out = new HashSet<>();
        ArrayDeque<Long> dirs = new ArrayDeque<>();
        dirs.add(TreeImage.ROOT);
        while (!dirs.isEmpty()) {
            for (long ino : state.children(dirs.poll()).values()) {
                if (state.isDirectory(ino)) {
                    dirs.add(ino);
                    continue;
                }
                TreeImage.Node n = state.node(ino);
                ExtentList baseMap = homes.baseExtents(ino);
                for (int i = 0; i < (n.size + blockSize - 1) / blockSize; i++) {
                    if (n.page(i) != null) {
                        long d = baseMap == null ? -1 : baseMap.deviceBlock(i);
                        out.add(d >= 0 ? d : homes.home(ino, i));
                    }
                }
            }
        }
        return out;
    }

    private InodeImage file(TreeImage state, long ino, BlockOverlay overlay, Set<Long> taken, Set<Long> wanted) {
        TreeImage.Node n = state.node(ino);
        TreeImage.Node b = base.node(ino);
        InodeImage was = baseNamespace.inode(ino);
        if (was != null && n == b && !tailCleaned(ino, n)) {
            if (taken == null || claim(was.extents(), taken)) {
                return was;
            }
            b = null;                                      // a block of it is another file's: place every page anew
        }
        ExtentList baseMap = homes.baseExtents(ino);
        ExtentList map = ExtentList.EMPTY;
        long runFile = -1;
        long runDevice = -1;
        long runLength = 0;
        long blocks = (n.size + blockSize - 1) / blockSize;
        for (int i = 0; i < blocks; i++) {
            byte[] page = n.page(i);
            if (page == null) {
                continue;                                  // a hole: no block, reads as zeros
            }
            long device;
            if (b != null && page == b.page(i) && !cleanedTails.contains(MediaImageReader.key(ino, i))
                    && baseMap != null && (device = baseMap.deviceBlock(i)) >= 0 && (taken == null || taken.add(device))) {
                // The base's own page: the media holds it already.
            } else {
                device = homes.home(ino, i);
                if (device < 0) {
                    throw new IllegalStateException("crash image: block " + i + " of inode " + ino
                            + " holds data, but neither the base nor the recorded run placed it on the device");
                }
                if (taken != null && !taken.add(device)) {
                    device = homes.spare(taken, wanted);
                    taken.add(device);
                }
                overlay.put(device, page);
            }
            if (runLength > 0 && runFile + runLength == i && runDevice + runLength == device) {
                runLength++;
            } else {
                if (runLength > 0) {
                    map = map.with(runFile, runDevice, runLength);
                }
                runFile = i;
                runDevice = device;
                runLength = 1;
            }
        }
        if (runLength > 0) {
            map = map.with(runFile, runDevice, runLength);
        }
        return metadataOf(ino, false).withSize(n.size).withExtents(map);
    }

    /** Takes every device block of {@code map} for one file; false (nothing taken) if another file holds one. */
    private static boolean claim(ExtentList map, Set<Long> taken) {
        for (int e = 0; e < map.size(); e++) {
            for (long k = 0; k < map.blocksAt(e); k++) {
                if (taken.contains(map.deviceBlockAt(e) + k)) {
                    return false;
                }
            }
        }
        for (int e = 0; e < map.size(); e++) {
            for (long k = 0; k < map.blocksAt(e); k++) {
                taken.add(map.deviceBlockAt(e) + k);
            }
        }
        return true;
    }

    private boolean tailCleaned(long ino, TreeImage.Node n) {
        return n.size % blockSize != 0 && cleanedTails.contains(MediaImageReader.key(ino, n.size / blockSize));
    }

    /** The inode's permissions and times: the base's, else those it had at the end of the run, else fresh. */
    private InodeImage metadataOf(long ino, boolean dir) {
        InodeImage m = baseNamespace.inode(ino);
        if (m == null || m.dir() != dir) {
            m = end.inode(ino);
        }
        if (m == null || m.dir() != dir) {
            return InodeImage.fresh(ino, dir);
        }
        return new InodeImage(ino, dir, 0, ExtentList.EMPTY, m.permissions(), m.modifiedNanos(), m.accessNanos(),
                m.changedNanos(), m.createdNanos(), new TreeMap<>());
    }
}
