package io.staleguard.device.loop.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** losetup --raw output, as util-linux 2.38 prints it (padded, \x20-escaped). */
class LosetupParseTest {

    @Test
    void parsesPaddedRawColumnsAndEscapedPaths() {
        String out = "/dev/loop0 2147058 \\x20\\x20\\x20\\x20\\x20254:0\\x20\\x20 0 512 /tmp/a\\x20b/loop-1.img\n"
                + "/dev/loop10 7 259:3 1 4096 /x/y.img (deleted)\n";
        List<Losetup.Entry> rows = Losetup.parse(out);
        assertThat(rows).containsExactly(
                new Losetup.Entry("/dev/loop0", 2147058, "254:0", false, 512, "/tmp/a b/loop-1.img"),
                new Losetup.Entry("/dev/loop10", 7, "259:3", true, 4096, "/x/y.img (deleted)"));
    }
}
