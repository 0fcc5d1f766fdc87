package io.staleguard.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.Seeds;
import io.staleguard.device.fs.crash.CrashModel;
import io.staleguard.device.fs.crash.CrashSettings;
import io.staleguard.junit.Crash;
import io.staleguard.junit.CrashOptions;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** Where a {@code Crash}'s budget, model and unit come from, and how bad values are refused. */
class CrashSettingsTest {

    private static final long TEST_SEED = 0x5EED;

    @CrashOptions(states = 30, model = CrashModel.EXT4_ORDERED)
    static class Annotated {
        void inherits(Crash crash) {
        }

        @CrashOptions(states = 40, model = CrashModel.NO_ORDERING, atomicWrite = 4096)
        void method(Crash crash) {
        }

        @CrashOptions(states = 40)
        void methodAndParameter(@CrashOptions(states = 50, atomicWrite = 1024) Crash crash) {
        }

        @CrashOptions(states = 0)
        void zeroStates(Crash crash) {
        }

        @CrashOptions(atomicWrite = 1000)
        void oddUnit(Crash crash) {
        }
    }

    static class Plain {
        void plain(Crash crash) {
        }
    }

    private static Settings settings(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return Settings.read(k -> Optional.ofNullable(values.get(k)));
    }

    private static CrashSettings resolve(Settings s, Class<?> c, String method) throws Exception {
        Method m = c.getDeclaredMethod(method, Crash.class);
        Parameter p = m.getParameters()[0];
        return CrashSettingsResolver.resolve(s.crash(), p, m, c, TEST_SEED);
    }

    @Test
    void defaultsAre200StatesUnderPosixAt512BytesWithASeedOfTheTest() throws Exception {
        CrashSettings s = resolve(settings(), Plain.class, "plain");
        assertThat(s).isEqualTo(new CrashSettings(CrashModel.POSIX, 200, 512, Seeds.derive(TEST_SEED, "crash"), -1));
        assertThat(s.replays()).isFalse();
    }

    @Test
    void theNearestAnnotationWins() throws Exception {
        CrashSettings cls = resolve(settings(), Annotated.class, "inherits");
        assertThat(cls.budget()).isEqualTo(30);
        assertThat(cls.model()).isEqualTo(CrashModel.EXT4_ORDERED);
        CrashSettings method = resolve(settings(), Annotated.class, "method");
        assertThat(method.budget()).isEqualTo(40);
        assertThat(method.model()).isEqualTo(CrashModel.NO_ORDERING);
        assertThat(method.atomicWrite()).isEqualTo(4096);
        CrashSettings param = resolve(settings(), Annotated.class, "methodAndParameter");
        assertThat(param.budget()).isEqualTo(50);
        assertThat(param.atomicWrite()).isEqualTo(1024);
        assertThat(param.model()).isEqualTo(CrashModel.POSIX);
    }

    @Test
    void propertiesOverrideEveryAnnotationAndAreExplicit() throws Exception {
        Settings s = settings("staleguard.crashStates", "1000", "staleguard.crashModel", "posix",
                "staleguard.crashState", "17");
        CrashSettings c = resolve(s, Annotated.class, "method");
        assertThat(c.budget()).isEqualTo(1000);
        assertThat(c.model()).isEqualTo(CrashModel.POSIX);
        assertThat(c.atomicWrite()).isEqualTo(4096);
        assertThat(c.replayState()).isEqualTo(17);
        assertThat(s.explicit()).containsEntry("staleguard.crashStates", "1000")
                .containsEntry("staleguard.crashModel", "posix").containsEntry("staleguard.crashState", "17");
        assertThat(settings("staleguard.crashModel", "ext4-ordered").crash().model())
                .contains(CrashModel.EXT4_ORDERED);
    }

    @Test
    void badPropertiesAreRefusedByName() {
        assertThatThrownBy(() -> settings("staleguard.crashStates", "0"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("staleguard.crashStates='0' is not valid").hasMessageContaining("at least 1");
        assertThatThrownBy(() -> settings("staleguard.crashStates", "many"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("staleguard.crashStates='many'");
        assertThatThrownBy(() -> settings("staleguard.crashState", "-1"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("staleguard.crashState='-1' is not valid");
        assertThatThrownBy(() -> settings("staleguard.crashModel", "ZFS"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("staleguard.crashModel='ZFS' is not a crash model")
                .hasMessageContaining("[POSIX, EXT4_ORDERED, NO_ORDERING]");
    }

    @Test
    void badAnnotationValuesAreRefusedWithWhereTheyAre() {
        assertThatThrownBy(() -> resolve(settings(), Annotated.class, "zeroStates"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("@CrashOptions(states = 0) on Annotated#zeroStates(Crash)");
        assertThatThrownBy(() -> resolve(settings(), Annotated.class, "oddUnit"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("@CrashOptions(atomicWrite = 1000) on Annotated#oddUnit(Crash)")
                .hasMessageContaining("power of two");
    }
}
