package io.staleguard.maven.internal.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.maven.internal.fork.SeedSpace;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpecsTest {

    @Test
    void durations() {
        assertThat(DurationSpec.parseMillis("p", "30s")).isEqualTo(30_000);
        assertThat(DurationSpec.parseMillis("p", "10m")).isEqualTo(600_000);
        assertThat(DurationSpec.parseMillis("p", "8h")).isEqualTo(28_800_000);
        assertThat(DurationSpec.parseMillis("p", "1h30m")).isEqualTo(5_400_000);
        assertThat(DurationSpec.parseMillis("p", "45")).isEqualTo(45_000);
        assertThat(DurationSpec.parseMillis("p", "500ms")).isEqualTo(500);
        assertThatThrownBy(() -> DurationSpec.parseMillis("staleguard.duration", "abc"))
                .hasMessage("staleguard.duration='abc' is not a duration (use e.g. 30s, 10m, 8h or 1h30m)");
        assertThatThrownBy(() -> DurationSpec.parseMillis("staleguard.duration", "10x")).hasMessageContaining("'10x'");
        assertThatThrownBy(() -> DurationSpec.parseMillis("staleguard.duration", "0s")).hasMessageContaining("zero");
        assertThat(DurationSpec.format(3_723_000)).isEqualTo("1h02m03s");
    }

    @Test
    void aDurationTooLongForALongIsTooLongNotZero() {
        for (String t : new String[] {"9999999999999h", "9999999999999999999", "99999999999999999999s",
                "106751991167d", "366d", "8760h1ms"}) {
            assertThatThrownBy(() -> DurationSpec.parseMillis("staleguard.duration", t)).as(t)
                    .hasMessage("staleguard.duration='" + t + "' is too long (at most 365d)");
        }
        assertThat(DurationSpec.parseMillis("p", "365d")).isEqualTo(365L * 86_400_000);
        assertThat(DurationSpec.parseMillis("p", "8760h")).isEqualTo(365L * 86_400_000);
    }

    @Test
    void flagsAreTrueOrFalseAndNothingElseQuietly() {
        assertThat(Flag.parse("p", "")).isTrue();
        assertThat(Flag.parse("p", "TRUE")).isTrue();
        assertThat(Flag.parse("p", "false")).isFalse();
        assertThat(Flag.parse("p", null)).isFalse();
        assertThatThrownBy(() -> Flag.parse("staleguard.acceptPartial", "yes"))
                .hasMessage("staleguard.acceptPartial='yes' is not true or false");
    }

    @Test
    void theSeedMessageSaysDecimalWorksBecauseItDoes() {
        assertThat(SeedText.parse("p", "12345")).isEqualTo(12345);
        assertThat(SeedText.parse("p", "-1")).isEqualTo(-1);
        assertThatThrownBy(() -> SeedText.parse("staleguard.seed", "0xqq")).hasMessage("staleguard.seed='0xqq' is not a "
                + "seed (use 0x and up to 16 hex digits, as reproduce lines print it, or a decimal number)");
    }

    @Test
    void shards() {
        assertThat(ShardSpec.parse("2/4")).isEqualTo(new ShardSpec(2, 4));
        assertThat(ShardSpec.parse("")).isEqualTo(ShardSpec.ALL);
        assertThatThrownBy(() -> ShardSpec.parse("5/4")).hasMessageContaining("staleguard.shard='5/4'");
        assertThatThrownBy(() -> ShardSpec.parse("two")).hasMessage("staleguard.shard='two' is not a shard (use i/n,"
                + " e.g. 2/4)");
    }

    @Test
    void shardsPartitionTheSeedSpace() {
        SeedSpace whole = new SeedSpace(42, 1, 1);
        SeedSpace s1 = new SeedSpace(42, 1, 2);
        SeedSpace s2 = new SeedSpace(42, 2, 2);
        Set<Long> all = new HashSet<>();
        Set<Long> union = new HashSet<>();
        for (int j = 0; j < 100; j++) {
            all.add(whole.seed("H1@MODERN", j));
        }
        for (int j = 0; j < 50; j++) {
            assertThat(union.add(s1.seed("H1@MODERN", j))).isTrue();
            assertThat(union.add(s2.seed("H1@MODERN", j))).isTrue();
        }
        assertThat(union).isEqualTo(all);
    }

    @Test
    void seeds() {
        assertThat(SeedText.parse("p", "0x00000000000000ff")).isEqualTo(255);
        assertThat(SeedText.parse("p", "0xffffffffffffffff")).isEqualTo(-1);
        assertThat(SeedText.hex(255)).isEqualTo("0x00000000000000ff");
        assertThatThrownBy(() -> SeedText.parse("staleguard.seed", "zz")).hasMessageStartingWith("staleguard.seed='zz'");
    }

    @Test
    void kernelSelection() {
        KernelSelection.check("staleguard.kernel", "MODERN");
        KernelSelection.check("staleguard.kernel", "modern, aio-dio-irq-completion-2008");
        KernelSelection.check("staleguard.kernel", "ALL");
        KernelSelection.check("staleguard.kernel", "NONE");
        assertThatThrownBy(() -> KernelSelection.check("staleguard.kernel", "MODREN"))
                .hasMessageStartingWith("staleguard.kernel='MODREN': unknown kernel preset 'MODREN'")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> KernelSelection.check("staleguard.kernel", " , ")).hasMessageContaining("names no preset");
        KernelSelection.checkReplay("staleguard.replay", "H2:0x00000000000000b2");
        assertThatThrownBy(() -> KernelSelection.checkReplay("staleguard.replay", "H9:0x1"))
                .hasMessageStartingWith("staleguard.replay='H9:0x1': unknown hazard 'H9'");
        assertThatThrownBy(() -> KernelSelection.checkReplay("staleguard.replay", "H2"))
                .hasMessageContaining("is not a replay");
        assertThatThrownBy(() -> KernelSelection.checkReplay("staleguard.replay", "H2:xyz"))
                .hasMessageStartingWith("staleguard.replay='xyz' is not a seed");
    }
}
