package io.staleguard.device.fs.crash.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A crash image is a copy-on-write child of the base: a copy shares every inode and page, the first change copies
 * what it touches, and the fingerprint's cached page hashes follow the pages. What the device mount and the
 * planner's dedupe rely on.
 */
class TreeImageCopyOnWriteTest {

    private static byte[] filled(int n, int b) {
        byte[] out = new byte[n];
        Arrays.fill(out, (byte) b);
        return out;
    }

    private static TreeImage base() {
        return TreeImage.empty().dir("/d", 2).file("/d/f", 3, filled(3 * 4096, 'o')).file("/d/g", 4, filled(10, 'g'));
    }

    @Test
    void aCopySharesWhatItDoesNotChangeAndCopiesWhatItDoes() {
        TreeImage base = base();
        TreeImage state = base.copy();
        assertThat(state.node(4)).isSameAs(base.node(4));

        state.write(3, 4096 + 5, new byte[] {'x'}, 0, 1);
        assertThat(base.read(3, 4096 + 5, 1)).containsExactly('o');
        assertThat(state.read(3, 4096 + 5, 1)).containsExactly('x');
        assertThat(state.node(3)).isNotSameAs(base.node(3));
        assertThat(state.node(3).page(0)).as("an untouched page is the base's own").isSameAs(base.node(3).page(0));
        assertThat(state.node(3).page(1)).isNotSameAs(base.node(3).page(1));
        assertThat(state.node(4)).as("an untouched inode is the base's own").isSameAs(base.node(4));

        state.unlink(2, "g", 4);
        assertThat(base.resolve("/d/g")).isEqualTo(4);
        assertThat(state.resolve("/d/g")).isEqualTo(-1);
    }

    @Test
    void theFingerprintFollowsWritesToPagesItHashedBefore() {
        TreeImage img = base();
        StateFingerprint before = StateFingerprint.of(img, 0);
        TreeImage copy = img.copy();
        img.write(3, 7, new byte[] {'z'}, 0, 1);                 // in place: the page is the image's own
        StateFingerprint after = StateFingerprint.of(img, 0);
        assertThat(after).isNotEqualTo(before);
        byte[] expected = filled(3 * 4096, 'o');
        expected[7] = 'z';
        assertThat(after).isEqualTo(StateFingerprint.of(
                TreeImage.empty().dir("/d", 2).file("/d/f", 3, expected).file("/d/g", 4, filled(10, 'g')), 0));
        assertThat(StateFingerprint.of(copy, 0)).as("the copy taken before the write").isEqualTo(before);
    }

    @Test
    void bytesWrittenPastTheSizeAreNotPartOfTheState() {
        TreeImage img = base();
        StateFingerprint before = StateFingerprint.of(img, 0);
        img.write(4, 10, filled(100, 'p'), 0, 100);              // beyond the size of 10: no read sees them
        assertThat(img.size(4)).isEqualTo(10);
        assertThat(StateFingerprint.of(img, 0)).isEqualTo(before);
        img.setSize(4, 110);
        assertThat(StateFingerprint.of(img, 0)).isNotEqualTo(before);
        assertThat(img.read(4, 10, 100)).isEqualTo(filled(100, 'p'));
    }

    @Test
    void aHoleReadsAsZerosAndHashesAsZeros() {
        TreeImage holes = TreeImage.empty().dir("/d", 2).file("/d/f", 3, new byte[0]);
        holes.setSize(3, 8192);
        TreeImage zeros = TreeImage.empty().dir("/d", 2).file("/d/f", 3, new byte[8192]);
        assertThat(holes.node(3).page(0)).isNull();
        assertThat(holes.read(3, 0, 8192)).isEqualTo(new byte[8192]);
        assertThat(StateFingerprint.of(holes, 0)).isEqualTo(StateFingerprint.of(zeros, 0));
    }
}
