package io.staleguard.maven.internal.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.ViolationKind;
import io.staleguard.maven.internal.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} on crash violations: both kinds fail by default, and each is listed with its own crash state. */
class CrashVerdictTest {

    @TempDir
    Path dir;

    @Test
    void bothCrashKindsAreInTheDefaultFailOnAndParseByTheirWords() {
        assertThat(KindSelection.defaults()).contains(ViolationKind.DURABILITY, ViolationKind.CRASH_RECOVERY);
        assertThat(KindSelection.parse("durability, crash-recovery"))
                .containsExactlyInAnyOrder(ViolationKind.DURABILITY, ViolationKind.CRASH_RECOVERY);
    }

    @Test
    void aCrashViolationFailsTheBuildWithItsOwnCrashStateInItsReproduceLine() throws Exception {
        Fixtures.crashTestReport(dir, "com.example.SegmentTest", "roll", 3);

        Verdict v = Verdict.of(ReportSet.read(dir), KindSelection.defaults(), 0);

        assertThat(v.failed()).isTrue();
        assertThat(v.message()).startsWith("Staleguard found I/O consistency violations: durability, crash-recovery")
                .contains("durability              1  (tests 1, soak 0)")
                .contains("com.example.SegmentTest#roll (seed 0x00000000000000a1): durability at offset 0 (lba 0, "
                        + "1000 bytes, /test/wal/seg-2.log at file offset 0)")
                .contains("reproduce: " + Fixtures.CRASH_LINE + " -Dstaleguard.crashState=3\n")
                .contains("reproduce: " + Fixtures.CRASH_LINE + " -Dstaleguard.crashState=8");
    }

    @Test
    void outsideFailOnTheCrashKindsAreCountedButPass() throws Exception {
        Fixtures.crashTestReport(dir, "com.example.SegmentTest", "roll", 3);

        Verdict v = Verdict.of(ReportSet.read(dir), KindSelection.parse("stale-read"), 0);

        assertThat(v.failed()).isFalse();
        assertThat(v.totals()).containsEntry("DURABILITY", 1L).containsEntry("CRASH_RECOVERY", 1L);
    }
}
