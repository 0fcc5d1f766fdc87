package io.staleguard.maven.internal.html;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.maven.internal.model.ReportedEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An injected fault (an {@code IO_FAULT} event, issue #13) is drawn as its own mark, its note in the tooltip. */
class TimelineFaultMarkTest {

    @Test
    void anInjectedFaultIsALightningMarkInItsThreadsLane() {
        List<ReportedEvent> events = List.of(
                new ReportedEvent(1, "writer", "WRITE_SUBMIT", 8192, 4096, 1, ""),
                new ReportedEvent(2, "writer", "IO_FAULT", 8192, 4096, 0,
                        "lost-write: acknowledged, never stored (fault #1, loseWrite(8192, 4096))"),
                new ReportedEvent(3, "writer", "WRITE_COMPLETE", 8192, 4096, 1, ""),
                new ReportedEvent(4, "reader", "READ_SUBMIT", 8192, 4096, 0, ""),
                new ReportedEvent(5, "reader", "READ_COMPLETE", 8192, 4096, 0, ""));
        String svg = TimelineSvg.render(events, null, "t1");
        assertThat(svg).contains("<g class=\"sg-io-fault\"><title>injected fault [8192,+4096) t=2: lost-write: "
                + "acknowledged, never stored (fault #1, loseWrite(8192, 4096))</title><path d=\"M");
        assertThat(svg).doesNotContain("sg-mark sg-io-fault");
        assertThat(svg).contains("injected fault</text>"); // its legend entry, as the timeline holds one
    }
}
