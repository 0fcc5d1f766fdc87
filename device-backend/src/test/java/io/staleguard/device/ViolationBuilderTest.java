package io.staleguard.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ViolationBuilderTest {

    @Test
    void builderFillsEveryFieldAsTheConstructorDoes() {
        TimelineEvent e = new TimelineEvent(5, "t1", TimelineEvent.Type.FLUSH, 0, 0, 0, "flush");
        Violation built = Violation.of(ViolationKind.REF_TAG).at(4096, 512, 8).saw("0x8", "0x9").firstDiff(4100)
                .by("writer", List.of("a.b(C.java:1)")).detail("misdirected").timeline(List.of(e)).build();

        assertThat(built).isEqualTo(new Violation(ViolationKind.REF_TAG, 4096, 512, 8, "0x8", "0x9", 4100, "writer",
                List.of("a.b(C.java:1)"), "misdirected", List.of(e)));
    }

    @Test
    void unsetFieldsAreEmptyAndTheFirstDifferenceUnknown() {
        Violation v = Violation.of(ViolationKind.STALE_READ).build();

        assertThat(v.firstDiffOffset()).isEqualTo(-1);
        assertThat(v.thread()).isEmpty();
        assertThat(v.submitStack()).isEmpty();
        assertThat(v.timeline()).isEmpty();
    }
}
