package io.staleguard.device.fs.crash.internal;

import static io.staleguard.device.fs.crash.internal.LogBuilder.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.fs.crash.internal.LogRecord.ClaimRec;
import org.junit.jupiter.api.Test;

/** When a claim binds, and what a state lost of it. */
class ClaimCheckerTest {

    private static final TreeImage BASE = TreeImage.empty().dir("/test", 2).file("/test/f", 5, bytes(4096, 'o'));

    @Test
    void aClaimBindsUntilTheProgramWritesTheRangeOrRenamesThePath() {
        CrashLog log = new LogBuilder().baseSize(5, 4096).write(5, "/test/f", 0, bytes(100, 1))
                .force(5, "/test/f", false).claim("/test/f", 5, 0, 100)
                .write(5, "/test/f", 200, bytes(10, 2))
                .write(5, "/test/f", 50, bytes(10, 3))
                .log();
        ClaimChecker c = new ClaimChecker(log, new CrashImageBuilder(BASE, log, 512));
        ClaimRec claim = c.claims().get(0);
        assertThat(c.active(claim, 3)).isFalse();
        assertThat(c.active(claim, 4)).isTrue();
        assertThat(c.active(claim, 5)).as("a write outside the range").isTrue();
        assertThat(c.active(claim, 6)).as("the program overwrote the range").isFalse();
        CrashLog renamed = new LogBuilder().baseSize(5, 4096).claim("/test/f", 5)
                .rename(2, "/test/f", 2, "/test/g", 5, 0).log();
        ClaimChecker r = new ClaimChecker(renamed, new CrashImageBuilder(BASE, renamed, 512));
        assertThat(r.active(r.claims().get(0), 2)).isTrue();
        assertThat(r.active(r.claims().get(0), 3)).isFalse();
    }

    @Test
    void aLossSaysWhetherTheFileTheSizeOrTheBytesWentMissing() {
        CrashLog log = new LogBuilder().baseSize(5, 4096).write(5, "/test/f", 100, bytes(100, 1))
                .claim("/test/f", 5, 100, 100).log();
        ClaimChecker c = new ClaimChecker(log, new CrashImageBuilder(BASE, log, 512));
        ClaimRec claim = c.claims().get(0);
        assertThat(c.check(claim, BASE.copy(), 3)).get().extracting(ClaimChecker.Loss::actual)
                .isEqualTo("crash state 3: bytes from 100 differ");
        TreeImage shortFile = BASE.copy();
        shortFile.setSize(5, 150);
        assertThat(c.check(claim, shortFile, 4)).get().extracting(ClaimChecker.Loss::actual)
                .isEqualTo("crash state 4: size 150");
        assertThat(c.check(claim, TreeImage.empty().dir("/test", 2), 5)).get().extracting(ClaimChecker.Loss::actual)
                .isEqualTo("crash state 5: no such file");
        TreeImage kept = BASE.copy();
        kept.write(5, 100, bytes(100, 1), 0, 100);
        assertThat(c.check(claim, kept, 6)).isEmpty();
    }
}
