package io.staleguard.device.fs.crash.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A filesystem image held in memory: inodes, the names each directory holds, and each file's bytes and size. The
 * crash core builds one per crash state and checks claims against it; the device-backed image (media overlay and
 * namespace image) replaces it when exploration runs on the simulated device. Inode 1 is the root directory.
 */
public final class TreeImage {

    /** The root directory's inode. */
    public static final long ROOT = 1;

    private static final class Node {
        final boolean dir;
        final TreeMap<String, Long> children;
        byte[] data = new byte[0];
        long size;

        Node(boolean dir) {
            this.dir = dir;
            this.children = dir ? new TreeMap<>() : null;
        }

        Node copy() {
            Node n = new Node(dir);
            if (dir) {
                n.children.putAll(children);
            }
            n.data = data.clone();
            n.size = size;
            return n;
        }
    }

    private final Map<Long, Node> nodes = new HashMap<>();

    private TreeImage() {
    }

    /** An image holding only the root directory. */
    public static TreeImage empty() {
        TreeImage t = new TreeImage();
        t.nodes.put(ROOT, new Node(true));
        return t;
    }

    /** A deep copy: changes to either do not show in the other. */
    public TreeImage copy() {
        TreeImage t = new TreeImage();
        nodes.forEach((k, v) -> t.nodes.put(k, v.copy()));
        return t;
    }

    /** Adds directory {@code path} as inode {@code ino}; its parent must exist. Returns this image. */
    public TreeImage dir(String path, long ino) {
        link(parentOf(path), nameOf(path), ino, true);
        return this;
    }

    /** Adds file {@code path} as inode {@code ino} holding {@code content}. Returns this image. */
    public TreeImage file(String path, long ino, byte[] content) {
        link(parentOf(path), nameOf(path), ino, false);
        write(ino, 0, content, 0, content.length);
        setSize(ino, content.length);
        return this;
    }

    private long parentOf(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        int cut = p.lastIndexOf('/');
        long parent = resolve(cut <= 0 ? "/" : p.substring(0, cut));
        if (parent < 0 || !isDirectory(parent)) {
            throw new IllegalArgumentException("no directory holds " + path);
        }
        return parent;
    }

    private static String nameOf(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** Names {@code ino} as {@code name} in directory {@code parent}, creating the inode if it is new. */
    void link(long parent, String name, long ino, boolean dir) {
        nodes.computeIfAbsent(ino, k -> new Node(dir));
        Node p = nodes.get(parent);
        if (p != null && p.dir) {
            p.children.put(name, ino);
        }
    }

    /** Removes {@code name} from {@code parent} if it names {@code ino}: an unlink of another inode is a no-op. */
    void unlink(long parent, String name, long ino) {
        Node p = nodes.get(parent);
        if (p != null && p.dir && Long.valueOf(ino).equals(p.children.get(name))) {
            p.children.remove(name);
        }
    }

    /** Writes {@code len} bytes of {@code src} at {@code off} into the file's bytes; the size is not changed. */
    void write(long ino, long off, byte[] src, int srcOff, int len) {
        Node n = nodes.computeIfAbsent(ino, k -> new Node(false));
        int end = Math.toIntExact(off + len);
        if (n.data.length < end) {
            n.data = Arrays.copyOf(n.data, end);
        }
        System.arraycopy(src, srcOff, n.data, (int) off, len);
    }

    /** Sets the file's size; bytes past a smaller size are cut, so growing again reads zeros there. */
    void setSize(long ino, long size) {
        Node n = nodes.computeIfAbsent(ino, k -> new Node(false));
        n.size = size;
        if (n.data.length > size) {
            n.data = Arrays.copyOf(n.data, (int) size);
        }
    }

    /** The inode {@code path} resolves to through every entry on the way, or -1 when a name is missing. */
    public long resolve(String path) {
        long ino = ROOT;
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            Node n = nodes.get(ino);
            Long next = n == null || !n.dir ? null : n.children.get(part);
            if (next == null) {
                return -1;
            }
            ino = next;
        }
        return ino;
    }

    /** Whether the inode exists in the image (reachable or not). */
    public boolean exists(long ino) {
        return nodes.containsKey(ino);
    }

    /** The file's size, 0 for an unknown inode. */
    public long size(long ino) {
        Node n = nodes.get(ino);
        return n == null ? 0 : n.size;
    }

    /** The file's bytes {@code [off, off + len)} as a read sees them: zeros past its bytes, cut at its size. */
    public byte[] read(long ino, long off, int len) {
        Node n = nodes.get(ino);
        byte[] out = new byte[(int) Math.max(0, Math.min(len, (n == null ? 0 : n.size) - off))];
        if (n != null && off < n.data.length) {
            System.arraycopy(n.data, (int) off, out, 0, (int) Math.min(out.length, n.data.length - off));
        }
        return out;
    }

    /** The names directory {@code ino} holds, sorted; empty for a file or an unknown inode. */
    public Map<String, Long> children(long ino) {
        Node n = nodes.get(ino);
        return n == null || !n.dir ? Map.of() : java.util.Collections.unmodifiableMap(n.children);
    }

    /** Whether {@code ino} is a directory. */
    public boolean isDirectory(long ino) {
        Node n = nodes.get(ino);
        return n != null && n.dir;
    }
}
