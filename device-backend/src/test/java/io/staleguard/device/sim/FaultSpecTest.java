package io.staleguard.device.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The fault spec syntax: every documented form parses to its canonical text, and every bad form names its token. */
class FaultSpecTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "none|none",
            "''|none",
            "fsync-error@1|fsync-error@1",
            "lost-write=0.001, misdirect=0.0005|lost-write=0.001,misdirect=0.0005",
            "misdirect=0.0005,lost-write=1e-3|lost-write=0.001,misdirect=0.0005",
            "read-error=0.01@file:/test/seg-*.log|read-error=0.01@file:/test/seg-*.log",
            "partial-write=0.01,enospc=32MiB|partial-write=0.01,enospc=32MiB",
            "enospc=4096|enospc=4KiB",
            "enospc=1000|enospc=1000",
            "write-error=1/1000|write-error=0.001",
            "bitrot=0.1%|bitrot=0.001",
            "read-error=0.5@op:10-20|read-error=0.5@op:10-20",
            "lost-write@lba:3-9|lost-write@lba:3-9",
            "lost-write=0.3@2|lost-write@2",
            "LOST_WRITE = 1|lost-write",
    })
    void documentedFormsParseToTheirCanonicalText(String text, String canonical) {
        FaultSpec spec = FaultSpec.parse(text);
        assertThat(spec).hasToString(canonical);
        assertThat(FaultSpec.parse(spec.toString())).isEqualTo(spec);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "lost-wirte=0.1|unknown fault 'lost-wirte'; known: fsync-error, read-error, write-error, partial-write, enospc, lost-write, misdirect, bitrot",
            "lost-write=1.5|rate 1.5 of lost-write is not in [0, 1]",
            "lost-write=often|rate 'often' of lost-write is not a probability",
            "lost-write@lba:9-3|scope 'lba:9-3' is empty",
            "lost-write@0|scope '0' counts operations from 1",
            "lost-write@sometimes|unknown scope 'sometimes'; known: N, op:A-B, lba:A-B, file:GLOB",
            "read-error@file:seg|scope 'file:seg' needs an absolute glob",
            "enospc|enospc needs a size: enospc=64MiB",
            "enospc=lots|size 'lots' of enospc is not a byte count",
            "lost-write,,bitrot|empty item",
            "none,lost-write|'none' cannot be combined with faults",
    })
    void badFormsNameTheBadToken(String text, String message) {
        assertThatThrownBy(() -> FaultSpec.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message)
                .hasMessageContaining("(in fault spec \"" + text + "\")");
    }

    @Test
    void itemsCarryKindRateBudgetAndScope() {
        FaultSpec spec = FaultSpec.parse("enospc=64MiB, read-error=0.25@op:1-5");
        assertThat(spec.items()).hasSize(2);
        FaultSpec.Item read = spec.items().get(0);
        assertThat(read.kind()).isEqualTo(FaultKind.READ_ERROR);
        assertThat(read.rate()).isEqualTo(0.25);
        assertThat(read.scope().type()).isEqualTo(FaultSpec.ScopeType.OPS);
        assertThat(read.scope().from()).isEqualTo(1);
        assertThat(read.scope().to()).isEqualTo(5);
        FaultSpec.Item space = spec.items().get(1);
        assertThat(space.kind()).isEqualTo(FaultKind.NO_SPACE);
        assertThat(space.bytes()).isEqualTo(64L << 20);
        assertThat(FaultSpec.parse(null)).isSameAs(FaultSpec.NONE);
        assertThat(FaultSpec.NONE.isNone()).isTrue();
    }
}
