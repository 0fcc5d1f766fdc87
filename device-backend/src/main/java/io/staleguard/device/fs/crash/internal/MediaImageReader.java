package io.staleguard.device.fs.crash.internal;

import io.staleguard.device.fs.internal.ExtentList;
import io.staleguard.device.fs.internal.NamespaceImage;
import io.staleguard.device.sim.MediaSnapshot;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads the image a frozen device and its namespace hold into a {@link TreeImage}, once per exploration: the base
 * every crash state is built from. Only mapped blocks become pages (holes stay holes), and bytes past a file's size
 * in its last block read as zeros, as Linux shows them; such a block is remembered as differing from the media.
 */
final class MediaImageReader {

    /** The image, and the pages whose bytes differ from the media's block (a last block's stale tail). */
    record Read(TreeImage image, Set<Long> cleanedTails) {
    }

    private MediaImageReader() {
    }

    /** The image of {@code ns} over {@code media}, in pages of {@code blockSize} bytes. */
    static Read read(NamespaceImage ns, MediaSnapshot media, int blockSize) {
        TreeImage img = TreeImage.empty(blockSize);
        Set<Long> cleaned = new HashSet<>();
        ArrayDeque<Long> dirs = new ArrayDeque<>();
        dirs.add(NamespaceImage.ROOT);
        while (!dirs.isEmpty()) {
            long dir = dirs.poll();
            for (Map.Entry<String, Long> c : ns.inode(dir).children().entrySet()) {
                NamespaceImage.InodeImage child = ns.inode(c.getValue());
                img.link(dir, c.getKey(), child.number(), child.dir());
                if (child.dir()) {
                    dirs.add(child.number());
                } else {
                    readFile(img, child, media, blockSize, cleaned);
                }
            }
        }
        return new Read(img, cleaned);
    }

    private static void readFile(TreeImage img, NamespaceImage.InodeImage f, MediaSnapshot media, int bs,
                                 Set<Long> cleaned) {
        long size = f.size();
        long blocks = (size + bs - 1) / bs;
        ExtentList map = f.extents();
        for (int e = 0; e < map.size(); e++) {
            for (long k = 0; k < map.blocksAt(e); k++) {
                long block = map.fileBlockAt(e) + k;
                if (block >= blocks) {
                    break;
                }
                byte[] page = new byte[bs];
                media.read((map.deviceBlockAt(e) + k) * bs, page, 0, bs);
                int tail = (int) Math.min(bs, size - block * bs);
                if (tail < bs && !zeros(page, tail)) {
                    java.util.Arrays.fill(page, tail, bs, (byte) 0);
                    cleaned.add(key(f.number(), block));
                }
                img.adoptPage(f.number(), Math.toIntExact(block), page);
            }
        }
        img.setSize(f.number(), size);
    }

    private static boolean zeros(byte[] page, int from) {
        for (int i = from; i < page.length; i++) {
            if (page[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The key of file block {@code block} of inode {@code ino} in {@link Read#cleanedTails()}. */
    static long key(long ino, long block) {
        return ino * 0x9E3779B97F4A7C15L ^ block;
    }
}
