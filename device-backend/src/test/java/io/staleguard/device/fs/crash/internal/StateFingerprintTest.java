package io.staleguard.device.fs.crash.internal;

import static io.staleguard.device.fs.crash.internal.LogBuilder.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the fingerprint sees: names, sizes and bytes up to the size and the acknowledgements; not inode numbers. */
class StateFingerprintTest {

    @Test
    void inodeNumbersAreInvisibleNamesBytesSizesAndAcknowledgementsAreNot() {
        TreeImage a = TreeImage.empty().dir("/d", 2).file("/d/f", 3, bytes(10, 1));
        TreeImage sameButOtherInode = TreeImage.empty().dir("/d", 7).file("/d/f", 9, bytes(10, 1));
        assertThat(StateFingerprint.of(a, 0)).isEqualTo(StateFingerprint.of(sameButOtherInode, 0));
        assertThat(StateFingerprint.of(a, 0)).isNotEqualTo(StateFingerprint.of(a, 1));
        assertThat(StateFingerprint.of(a, 0))
                .isNotEqualTo(StateFingerprint.of(TreeImage.empty().dir("/d", 2).file("/d/g", 3, bytes(10, 1)), 0));
        assertThat(StateFingerprint.of(a, 0))
                .isNotEqualTo(StateFingerprint.of(TreeImage.empty().dir("/d", 2).file("/d/f", 3, bytes(11, 1)), 0));
        assertThat(StateFingerprint.of(a, 0))
                .isNotEqualTo(StateFingerprint.of(TreeImage.empty().dir("/d", 2).file("/d/f", 3, bytes(10, 2)), 0));
    }

    @Test
    void bytesPastTheSizeAreCutAndReadAsZerosWhenTheFileGrowsAgain() {
        TreeImage a = TreeImage.empty().dir("/d", 2).file("/d/f", 3, bytes(10, 1));
        a.setSize(3, 4);
        TreeImage b = TreeImage.empty().dir("/d", 2).file("/d/f", 3, bytes(4, 1));
        assertThat(StateFingerprint.of(a, 0)).isEqualTo(StateFingerprint.of(b, 0));
        a.setSize(3, 10);
        assertThat(a.read(3, 4, 6)).isEqualTo(new byte[6]);
    }
}
