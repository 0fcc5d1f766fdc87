package io.staleguard.device.fs.crash.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;

/**
 * A 128-bit hash of what a recovery can see in a crash image: the names reachable from the root, which are
 * directories, each file's size and its bytes up to that size, and how many acknowledgements preceded the point. Inode numbers are left out (a recovery cannot tell
 * them apart), so two states that differ only in a dropped write equal to the old bytes are one state.
 *
 * @param hi the high 64 bits
 * @param lo the low 64 bits
 */
public record StateFingerprint(long hi, long lo) {

    private static final long M1 = 0x9E3779B97F4A7C15L;
    private static final long M2 = 0xC2B2AE3D27D4EB4FL;

    /**
     * The fingerprint of {@code image} seen by a recovery that was told {@code told} things (the acknowledgements
     * and claims before the crash point): the same bytes after more acknowledgements are another state, since the
     * recovery's checks and the claims that bind differ.
     */
    public static StateFingerprint of(TreeImage image, int told) {
        long[] h = {0x6a09e667f3bcc908L, 0xbb67ae8584caa73bL};
        add(h, told);
        walk(image, TreeImage.ROOT, h);
        return new StateFingerprint(io.staleguard.device.Seeds.mix(h[0]), io.staleguard.device.Seeds.mix(h[1]));
    }

    private static void walk(TreeImage image, long dir, long[] h) {
        for (Map.Entry<String, Long> e : image.children(dir).entrySet()) {
            add(h, 0x2F);
            for (int i = 0; i < e.getKey().length(); i++) {
                add(h, e.getKey().charAt(i));
            }
            long ino = e.getValue();
            if (image.isDirectory(ino)) {
                add(h, 0x44);
                walk(image, ino, h);
                add(h, 0x55);
            } else {
                add(h, 0x46);
                file(image, image.node(ino), h);
            }
        }
    }

    /**
     * A file's size, then each page under it by the hash of its bytes (those past the size as zeros). A page's hash
     * is kept on its node until the page is written, and copies share it with the page: a state that changed two
     * pages of a large base file hashes two pages, not the file.
     */
    private static void file(TreeImage image, TreeImage.Node n, long[] h) {
        long size = n == null ? 0 : n.size;
        add(h, size);
        if (size == 0) {
            return;
        }
        int ps = image.pageSize();
        int count = (int) ((size + ps - 1) / ps);
        if (n.hashes == null || n.hashes.length < 2 * n.pages.length) {
            n.hashes = n.hashes == null ? new long[2 * n.pages.length] : Arrays.copyOf(n.hashes, 2 * n.pages.length);
        }
        long[] page = new long[2];
        for (int i = 0; i < count; i++) {
            byte[] p = n.page(i);
            int limit = (int) Math.min(ps, size - (long) i * ps);
            if (p == null) {
                hashPage(ZEROS, ps, ps, page);
            } else if (limit < ps && n.length > size) {
                // Bytes past the size are not zeros yet (written beyond it): hash what a read sees, uncached.
                hashPage(p, limit, ps, page);
            } else if (n.hashes[2 * i] == 0 && n.hashes[2 * i + 1] == 0) {
                hashPage(p, ps, ps, page);
                n.hashes[2 * i] = page[0];
                n.hashes[2 * i + 1] = page[1];
            } else {
                page[0] = n.hashes[2 * i];
                page[1] = n.hashes[2 * i + 1];
            }
            add(h, page[0]);
            add(h, page[1]);
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] ZEROS = new byte[1 << 16];

    /** Two 64-bit hashes of {@code p}'s first {@code size} bytes, those from {@code limit} on taken as zeros. */
    static void hashPage(byte[] p, int limit, int size, long[] out) {
        long a = 0x243f6a8885a308d3L;
        long b = 0x13198a2e03707344L;
        for (int i = 0; i < size; i += 8) {
            long v;
            if (i + 8 <= limit) {
                v = (long) LONGS.get(p, i);
            } else if (i >= limit) {
                v = 0;
            } else {
                v = 0;
                for (int k = limit - 1; k >= i; k--) {
                    v = v << 8 | (p[k] & 0xFF);
                }
            }
            a = (a ^ v) * M1;
            a ^= a >>> 29;
            b = (b + v) * M2;
            b ^= b >>> 31;
        }
        // Never both 0: that marks a hash not computed yet.
        out[0] = a | 1;
        out[1] = b;
    }

    private static void add(long[] h, long v) {
        h[0] = (h[0] ^ v) * M1;
        h[0] ^= h[0] >>> 29;
        h[1] = (h[1] + v) * M2;
        h[1] ^= h[1] >>> 31;
    }

    @Override
    public String toString() {
        return String.format("%016x%016x", hi, lo);
    }
}
