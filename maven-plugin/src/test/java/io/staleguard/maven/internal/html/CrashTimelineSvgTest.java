package io.staleguard.maven.internal.html;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.maven.internal.model.ReportedEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A crash state's timeline: the crash point, dropped and torn operations and acknowledgements, each its own mark. */
class CrashTimelineSvgTest {

    private static final List<ReportedEvent> CRASH = List.of(
            new ReportedEvent(110, "main", "NOTE", 0, 0, 0, "create /test/wal/seg-2.log dropped"),
            new ReportedEvent(110, "main", "DROPPED", 0, 0, 0, "dropped: create `/test/wal/seg-2.log` (t=110)"),
            new ReportedEvent(120, "main", "WRITE_COMPLETE", 0, 1024, 0, "write /test/wal/seg-2.log torn"),
            new ReportedEvent(120, "main", "TORN", 0, 1024, 0, "torn: write /test/wal/seg-2.log, 1 unit(s) kept"),
            new ReportedEvent(230, "main", "ACK", 0, 0, 0, "acknowledge '/test/wal/seg-2.log'"),
            new ReportedEvent(231, "power", "CRASH", 0, 0, 0, "crash (state 3)"));

    @Test
    void theCrashPointIsALineAcrossTheLanesAndDroppedTornAndAckHaveTheirOwnMarks() {
        String svg = TimelineSvg.render(CRASH, null, "t");
        assertThat(svg).contains("<g class=\"sg-crash\"><title>crash (state 3) t=231</title><line ")
                .contains("class=\"sg-crash-label\">power lost</text>");
        assertThat(svg).contains("<g class=\"sg-dropped\"><title>dropped: create `/test/wal/seg-2.log` (t=110) "
                + "t=110</title><rect ").contains(">drop</text>");
        assertThat(svg).contains("<g class=\"sg-torn\"><title>torn: write /test/wal/seg-2.log, 1 unit(s) kept "
                + "t=120</title>").contains("class=\"sg-half\"").contains(">torn</text>");
        assertThat(svg).contains("<g class=\"sg-ack\"><title>acknowledge &#39;/test/wal/seg-2.log&#39; t=230</title>");
        assertThat(svg).contains("power lost (crash point)").contains("dropped by the crash")
                .contains("torn by the crash").contains("acknowledged");
        assertThat(svg).as("the crash line spans from above the first lane").containsPattern(
                "sg-crash\"><title>[^<]*</title><line x1=\"[0-9.]+\" y1=\"14\"");
    }

    @Test
    void aTimelineWithoutCrashEventsHasNoCrashMarksOrLegendAndOtherTypesStayDots() {
        String svg = TimelineSvg.render(List.of(new ReportedEvent(1, "w", "FLUSH", 0, 0, 0, "flush"),
                new ReportedEvent(2, "w", "SOME_FUTURE_TYPE", 0, 0, 0, "from a newer extension")), null, "t");
        assertThat(svg).doesNotContain("sg-crash").doesNotContain("sg-dropped").doesNotContain("sg-torn")
                .doesNotContain("sg-ack").doesNotContain("power lost");
        assertThat(svg).contains("<g class=\"sg-mark sg-flush\">").contains("<g class=\"sg-mark sg-note\">");
    }
}
