package io.staleguard.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.Seeds;
import io.staleguard.device.ViolationKind;
import io.staleguard.junit.Backend;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

class SettingsAndSeedsTest {

    private static Settings read(Map<String, String> values) {
        return Settings.read(k -> Optional.ofNullable(values.get(k)));
    }

    @Test
    void seedsParseFromHexAndDecimalAndPrintAsHex() {
        assertThat(Settings.parseSeed("0x5eed")).isEqualTo(0x5eedL);
        assertThat(Settings.parseSeed("0xFFFFFFFFFFFFFFFF")).isEqualTo(-1L);
        assertThat(Settings.parseSeed("42")).isEqualTo(42L);
        assertThat(Settings.hex(0x5eedL)).isEqualTo("0x0000000000005eed");
        assertThat(Settings.parseSeed(Settings.hex(-123456789L))).isEqualTo(-123456789L);
        assertThatThrownBy(() -> Settings.parseSeed("0xZZ")).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("staleguard.seed='0xZZ'");
    }

    @Test
    void settingsAreReadAndRecordedForTheReproduceLine() {
        Settings s = read(Map.of("staleguard.seed", "0x10", "staleguard.backend", "loop", "staleguard.kernel",
                "BUG_X", "staleguard.unavailable", "skip", "staleguard.failOn", "guard-tag, STALE_READ"));
        assertThat(s.seed()).contains(16L);
        assertThat(s.backend()).contains(Backend.LOOP);
        assertThat(s.kernel()).contains("BUG_X");
        assertThat(s.skipUnavailable()).isTrue();
        assertThat(s.failOn()).contains(java.util.EnumSet.of(ViolationKind.GUARD_TAG, ViolationKind.STALE_READ));
        assertThat(Reproduce.command(SettingsAndSeedsTest.class, "m", 16, s.explicit())).isEqualTo(
                "mvn test -Dtest=SettingsAndSeedsTest#m -Dstaleguard.seed=0x0000000000000010"
                        + " -Dstaleguard.backend=loop -Dstaleguard.failOn='guard-tag, STALE_READ'"
                        + " -Dstaleguard.kernel=BUG_X -Dstaleguard.unavailable=skip");
        assertThat(read(Map.of()).explicit()).isEmpty();
        assertThat(read(Map.of("staleguard.failOn", "none")).failOn()).contains(java.util.EnumSet.noneOf(
                ViolationKind.class));
    }

    @Test
    void badSettingsNameTheirValue() {
        assertThatThrownBy(() -> read(Map.of("staleguard.unavailable", "maybe")))
                .hasMessageContaining("staleguard.unavailable='maybe'");
        assertThatThrownBy(() -> read(Map.of("staleguard.failOn", "stale,bogus")))
                .hasMessageContaining("[stale, bogus]");
    }

    @Test
    void derivedSeedsAreStableDistinctAndDependOnTheMasterSeed() {
        String id = "[engine:junit-jupiter]/[class:a.B]/[method:m()]";
        assertThat(Seeds.derive(1, id)).isEqualTo(Seeds.derive(1, id));
        assertThat(Seeds.derive(1, id)).isNotEqualTo(Seeds.derive(2, id));
        assertThat(Seeds.derive(1, id)).isNotEqualTo(Seeds.derive(1, id + "x"));
        assertThat(Seeds.derive(7, "rewriter", 0)).isNotEqualTo(Seeds.derive(7, "rewriter", 1));
    }

    /**
     * Pinned: the derivation is part of the reproduce contract across versions and JVMs (a reproduce line printed
     * by an earlier run must replay the same decisions). The values were computed by the implementation of
     * 2026-11-21, before seed derivation moved to device-backend; they must never change.
     */
    @Test
    void derivedSeedsArePinned() {
        String id = "[engine:junit-jupiter]/[class:com.example.FooTest]/[method:bar()]";
        assertThat(Settings.hex(Seeds.derive(0x5eed, id))).isEqualTo("0x308f7ed26d4e70be");
        assertThat(Seeds.derive(0, "")).isEqualTo(0xf52a15e9a9b5e89bL);
        assertThat(Seeds.derive(-1L, "fs")).isEqualTo(0x50f0b8d71313c95bL);
        assertThat(Seeds.derive(42, "rewriter", 3)).isEqualTo(0x39ea768057a08388L);
        assertThat(Seeds.derive(42, "name:журнал")).isEqualTo(0x14cd32f1ed0bf749L);
        assertThat(Seeds.fnv1a("")).isEqualTo(0xcbf29ce484222325L);
        assertThat(Seeds.fnv1a("a")).isEqualTo(0xaf63dc4c8601ec8cL);
    }

    @Test
    void sizesParseAndRender() {
        assertThat(Sizes.parse("64MiB")).isEqualTo(64L << 20);
        assertThat(Sizes.parse("512 KiB")).isEqualTo(512L << 10);
        assertThat(Sizes.parse("1g")).isEqualTo(1L << 30);
        assertThat(Sizes.parse("4096")).isEqualTo(4096);
        assertThat(Sizes.parse("8KB")).isEqualTo(8192);
        assertThat(Sizes.render(64L << 20)).isEqualTo("64MiB");
        assertThat(Sizes.render(1000)).isEqualTo("1000B");
        assertThatThrownBy(() -> Sizes.parse("64 megs")).hasMessageContaining("cannot parse size '64 megs'");
        assertThatThrownBy(() -> Sizes.parse("-1")).hasMessageContaining("'-1'");
        assertThatThrownBy(() -> Sizes.parse("99999999999T")).hasMessageContaining("too large");
    }

    @Test
    void jsonWriterEscapesAndNests() {
        String json = new JsonWriter().beginObject().field("a", "q\"\\\n\u0001").field("n", -3)
                .name("arr").beginArray().value("x").value(true).endArray()
                .name("empty").beginObject().endObject().endObject().toString();
        assertThat(json).isEqualTo("{\n  \"a\": \"q\\\"\\\\\\n\\u0001\",\n  \"n\": -3,\n  \"arr\": [\n    \"x\",\n"
                + "    true\n  ],\n  \"empty\": {}\n}");
    }
}
