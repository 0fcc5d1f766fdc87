package io.staleguard.maven.internal.html;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.maven.internal.model.ReportedEvent;
import io.staleguard.maven.internal.model.ReportedViolation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which read a timeline marks as the violating one. */
class TimelineSvgTest {

    private static final List<ReportedEvent> EVENTS = List.of(
            new ReportedEvent(10, "reader-1", "NOTE", 16384, 0, 0, "position(8192) -> position 8192"),
            new ReportedEvent(11, "reader-2", "READ_SUBMIT", 12288, 4096, 0, ""),
            new ReportedEvent(12, "reader-2", "READ_COMPLETE", 12288, 4096, 1, ""),
            new ReportedEvent(13, "reader-1", "READ_SUBMIT", 16384, 4096, 0, ""),
            new ReportedEvent(14, "reader-1", "READ_COMPLETE", 16384, 4096, 1, ""));

    private static ReportedViolation of(String kind) {
        return new ReportedViolation(kind, 16384, 4096, 4, "position 8192", "position 16384", -1, "reader-1", "",
                List.of(), EVENTS);
    }

    @Test
    void aPositionRaceMarksTheReadAtTheUsedPosition() {
        String svg = TimelineSvg.render(EVENTS, of("POSITION_RACE"), "t1");
        assertThat(svg.split("class=\"sg-read sg-bad\"", -1)).as(svg).hasSize(2);
    }

    @Test
    void aKindThatIsNoReadMarksNone() {
        assertThat(TimelineSvg.render(EVENTS, of("GUARD_TAG"), "t1")).doesNotContain("class=\"sg-read sg-bad\"");
    }
}
