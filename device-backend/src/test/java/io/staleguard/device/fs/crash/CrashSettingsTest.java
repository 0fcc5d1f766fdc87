package io.staleguard.device.fs.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.ViolationKind;
import org.junit.jupiter.api.Test;

/** The settings refuse bad values naming them; the two crash kinds have their report names. */
class CrashSettingsTest {

    @Test
    void defaultsArePosixTwoHundredStatesAndA512ByteUnit() {
        CrashSettings s = CrashSettings.defaults(42);
        assertThat(s.model()).isEqualTo(CrashModel.POSIX);
        assertThat(s.budget()).isEqualTo(200);
        assertThat(s.atomicWrite()).isEqualTo(512);
        assertThat(s.replays()).isFalse();
        assertThat(s.replaying(3).replayState()).isEqualTo(3);
    }

    @Test
    void badValuesAreRefusedNamingThem() {
        CrashSettings s = CrashSettings.defaults(1);
        assertThatThrownBy(() -> s.withBudget(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("crash state budget must be >= 1, was 0");
        assertThatThrownBy(() -> s.withAtomicWrite(768)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("atomic write unit must be a power of two in [512, 1048576] bytes, was 768");
        assertThatThrownBy(() -> s.withAtomicWrite(256)).hasMessageContaining("was 256");
        assertThatThrownBy(() -> s.withAtomicWrite(2 << 20)).hasMessageContaining("was 2097152");
        assertThatThrownBy(() -> s.replaying(-2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("crash state to replay must be >= 0 (or -1 for all), was -2");
        assertThatThrownBy(() -> s.withModel(null)).isInstanceOf(NullPointerException.class).hasMessage("model");
    }

    @Test
    void theCrashKindsHaveTheirReportNamesAndFailByDefault() {
        assertThat(ViolationKind.DURABILITY.inWords()).isEqualTo("durability");
        assertThat(ViolationKind.CRASH_RECOVERY.inWords()).isEqualTo("crash-recovery");
        assertThat(ViolationKind.parse("crash-recovery")).isEqualTo(ViolationKind.CRASH_RECOVERY);
        assertThat(ViolationKind.parse("DURABILITY")).isEqualTo(ViolationKind.DURABILITY);
        assertThat(ViolationKind.DURABILITY.failsByDefault()).isTrue();
        assertThat(ViolationKind.CRASH_RECOVERY.failsByDefault()).isTrue();
    }
}
