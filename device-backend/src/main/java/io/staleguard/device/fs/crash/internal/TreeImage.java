package io.staleguard.device.fs.crash.internal;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A filesystem image held in memory: inodes, the names each directory holds, and each file's bytes and size. The
 * crash core builds one per crash state and checks claims against it; the device is then put into the same state
 * by mounting the pages in which it differs from the base over the frozen media. Inode 1 is the root directory.
 *
 * <h2>Copy-on-write</h2>
 * A file's bytes are held in pages of {@link #pageSize()} bytes (the filesystem's block size). {@link #copy()}
 * shares every inode with the copy, and a shared inode shares its pages: the first change to an inode copies its
 * page table (not the bytes), the first write to a page copies that page. A crash state built from the base therefore
 * costs the pages its records change, not the bytes of the image, and a page it did not change is the very same
 * object as the base's page, which is how the device mount finds the blocks that differ. A page that is null reads
 * as zeros. Not thread safe.
 */
public final class TreeImage {

    /** The root directory's inode. */
    public static final long ROOT = 1;

    /** The page size of {@link #empty()}. */
    public static final int DEFAULT_PAGE = 4096;

    static final byte[][] NO_PAGES = new byte[0][];

    /** One inode. Once shared with a copy it is never changed again: whoever changes it copies it first. */
    static final class Node {
        final boolean dir;
        final TreeMap<String, Long> children;
        byte[][] pages;
        /** Which pages this node made itself and may write in place (null: none, all shared). */
        boolean[] own;
        /** Per page, two 64-bit halves of the hash of its bytes, or both 0 when not computed (the fingerprint's). */
        long[] hashes;
        /** Bytes written so far ({@code <= size} after every size change; past it every byte is zero). */
        long length;
        long size;
        boolean shared;

        Node(boolean dir) {
            this.dir = dir;
            this.children = dir ? new TreeMap<>() : null;
            this.pages = NO_PAGES;
        }

        private Node(Node from) {
            this.dir = from.dir;
            this.children = from.dir ? new TreeMap<>(from.children) : null;
            this.pages = from.pages.clone();
            this.hashes = from.hashes == null ? null : from.hashes.clone();
            this.length = from.length;
            this.size = from.size;
        }

        /** The page at {@code index}, or null for a hole. */
        byte[] page(int index) {
            return index < pages.length ? pages[index] : null;
        }
    }

    private final HashMap<Long, Node> nodes;
    private final int pageSize;
    private final int pageShift;

    private TreeImage(int pageSize, HashMap<Long, Node> nodes) {
        this.pageSize = pageSize;
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.nodes = nodes;
    }

    /** An image holding only the root directory, in pages of {@value #DEFAULT_PAGE} bytes. */
    public static TreeImage empty() {
        return empty(DEFAULT_PAGE);
    }

    /**
     * An image holding only the root directory, in pages of {@code pageSize} bytes.
     *
     * @throws IllegalArgumentException naming a page size that is not a power of two of at least 512
     */
    public static TreeImage empty(int pageSize) {
        if (pageSize < 512 || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size " + pageSize + " is not a power of two of at least 512");
        }
        TreeImage t = new TreeImage(pageSize, new HashMap<>());
        t.nodes.put(ROOT, new Node(true));
        return t;
    }

    /** A copy: changes to either do not show in the other. Costs one map entry per inode; no bytes are copied. */
    public TreeImage copy() {
        for (Node n : nodes.values()) {
            n.shared = true;
        }
        return new TreeImage(pageSize, new HashMap<>(nodes));
    }

    /** Bytes per page. */
    public int pageSize() {
        return pageSize;
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

    /** The node of {@code ino}, made private to this image (created as a file if it is new). */
    private Node mutable(long ino, boolean dir) {
        Node n = nodes.get(ino);
        if (n == null) {
            n = new Node(dir);
            nodes.put(ino, n);
        } else if (n.shared) {
            n = new Node(n);
            nodes.put(ino, n);
        }
        return n;
    }

    /** Names {@code ino} as {@code name} in directory {@code parent}, creating the inode if it is new. */
    void link(long parent, String name, long ino, boolean dir) {
        if (!nodes.containsKey(ino)) {
            nodes.put(ino, new Node(dir));
        }
        Node p = nodes.get(parent);
        if (p != null && p.dir && !Long.valueOf(ino).equals(p.children.get(name))) {
            mutable(parent, true).children.put(name, ino);
        }
    }

    /** Removes {@code name} from {@code parent} if it names {@code ino}: an unlink of another inode is a no-op. */
    void unlink(long parent, String name, long ino) {
        Node p = nodes.get(parent);
        if (p != null && p.dir && Long.valueOf(ino).equals(p.children.get(name))) {
            mutable(parent, true).children.remove(name);
        }
    }

    /** Writes {@code len} bytes of {@code src} at {@code off} into the file's bytes; the size is not changed. */
    void write(long ino, long off, byte[] src, int srcOff, int len) {
        if (len == 0) {
            nodes.computeIfAbsent(ino, k -> new Node(false));
            return;
        }
        Node n = mutable(ino, false);
        long end = off + len;
        ensurePages(n, end);
        int done = 0;
        while (done < len) {
            long at = off + done;
            int index = (int) (at >>> pageShift);
            int in = (int) (at & (pageSize - 1));
            int k = Math.min(len - done, pageSize - in);
            System.arraycopy(src, srcOff + done, writablePage(n, index), in, k);
            done += k;
        }
        n.length = Math.max(n.length, end);
    }

    private void ensurePages(Node n, long end) {
        int need = Math.toIntExact((end + pageSize - 1) >>> pageShift);
        if (n.pages.length < need) {
            n.pages = Arrays.copyOf(n.pages, Math.max(need, n.pages.length * 2));
        }
        if (n.own == null || n.own.length < n.pages.length) {
            n.own = n.own == null ? new boolean[n.pages.length] : Arrays.copyOf(n.own, n.pages.length);
        }
    }

    /** Page {@code index} of a private node, copied (or made) first unless the node made it itself. */
    private byte[] writablePage(Node n, int index) {
        if (n.hashes != null && 2 * index < n.hashes.length) {
            n.hashes[2 * index] = 0;
            n.hashes[2 * index + 1] = 0;
        }
        if (!n.own[index]) {
            byte[] p = n.pages[index];
            n.pages[index] = p == null ? new byte[pageSize] : p.clone();
            n.own[index] = true;
        }
        return n.pages[index];
    }

    /**
     * Makes {@code page} (exactly one page, not copied) page {@code index} of file {@code ino}, which must exist: how
     * an image read from the media takes its blocks without copying them twice.
     */
    void adoptPage(long ino, int index, byte[] page) {
        if (page.length != pageSize) {
            throw new IllegalArgumentException("a page of " + page.length + " bytes in an image of " + pageSize
                    + "-byte pages");
        }
        Node n = mutable(ino, false);
        long end = ((long) index + 1) * pageSize;
        ensurePages(n, end);
        n.pages[index] = page;
        n.own[index] = true;
        n.length = Math.max(n.length, end);
    }

    /** Sets the file's size; bytes past a smaller size are cut, so growing again reads zeros there. */
    void setSize(long ino, long size) {
        Node n = nodes.get(ino);
        if (n != null && n.size == size && n.length <= size) {
            return;
        }
        n = mutable(ino, false);
        n.size = size;
        if (n.length > size) {
            ensurePages(n, n.length);
            int keep = (int) ((size + pageSize - 1) >>> pageShift);
            int in = (int) (size & (pageSize - 1));
            if (in != 0 && n.pages[keep - 1] != null) {
                Arrays.fill(writablePage(n, keep - 1), in, pageSize, (byte) 0);
            }
            for (int i = keep; i < n.pages.length; i++) {
                n.pages[i] = null;
                n.own[i] = false;
                if (n.hashes != null && 2 * i < n.hashes.length) {
                    n.hashes[2 * i] = 0;
                    n.hashes[2 * i + 1] = 0;
                }
            }
            n.length = size;
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
        if (n != null) {
            int done = 0;
            while (done < out.length) {
                long at = off + done;
                int in = (int) (at & (pageSize - 1));
                int k = Math.min(out.length - done, pageSize - in);
                byte[] p = n.page((int) (at >>> pageShift));
                if (p != null) {
                    System.arraycopy(p, in, out, done, k);
                }
                done += k;
            }
        }
        return out;
    }

    /** The names directory {@code ino} holds, sorted; empty for a file or an unknown inode. */
    public Map<String, Long> children(long ino) {
        Node n = nodes.get(ino);
        return n == null || !n.dir ? Map.of() : Collections.unmodifiableMap(n.children);
    }

    /** Whether {@code ino} is a directory. */
    public boolean isDirectory(long ino) {
        Node n = nodes.get(ino);
        return n != null && n.dir;
    }

    /** The inode's node, or null: for the fingerprint and the device mount, which compare pages by identity. */
    Node node(long ino) {
        return nodes.get(ino);
    }
}
