package io.staleguard.device.fs.crash.internal;

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
                long size = image.size(ino);
                add(h, 0x46);
                add(h, size);
                for (byte b : image.read(ino, 0, (int) size)) {
                    add(h, b);
                }
            }
        }
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
