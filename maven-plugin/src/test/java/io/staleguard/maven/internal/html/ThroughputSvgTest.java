package io.staleguard.maven.internal.html;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.maven.internal.model.ThroughputSample;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The progress chart's time axis starts at zero seconds, and so does its line. */
class ThroughputSvgTest {

    private static final Pattern POINTS = Pattern.compile("class=\"sg-rate\" points=\"([^\"]*)\"");

    @Test
    void theLineStartsAtZeroSecondsNotAtTheFirstProgressLine() {
        String svg = ThroughputSvg.render(List.of(new ThroughputSample(0, 0, 0, 0),
                new ThroughputSample(10_000, 50_000, 0, 0), new ThroughputSample(20_000, 150_000, 0, 1)));

        List<double[]> points = points(svg);
        assertThat(points.get(0)[0]).as("first x: the axis origin").isEqualTo(70.0);
        assertThat(points.get(points.size() - 1)[0]).as("last x: the end of the axis").isEqualTo(750.0);
        // the first interval (0 to 10 s) is drawn at its own rate, 5,000 op/s, half the peak of 10,000
        assertThat(points.get(0)[1]).isEqualTo(points.get(1)[1]);
        assertThat(points.get(1)[0]).isEqualTo(410.0);
        assertThat(svg).contains(">0 s</text>").contains(">20 s</text>").contains("10,000 op/s");
    }

    @Test
    void samplesThatDoNotBeginAtZeroGetTheOriginTheirCountsImply() {
        String svg = ThroughputSvg.render(List.of(new ThroughputSample(10_000, 50_000, 0, 0),
                new ThroughputSample(20_000, 150_000, 0, 0)));

        assertThat(points(svg).get(0)[0]).isEqualTo(70.0);
        assertThat(svg).contains("10,000 op/s");
    }

    @Test
    void oneSampleAfterTheOriginIsEnoughForAChartAndNoneIsNot() {
        assertThat(ThroughputSvg.render(List.of(new ThroughputSample(5_000, 10, 0, 0)))).contains("sg-rate");
        assertThat(ThroughputSvg.render(List.of(new ThroughputSample(0, 0, 0, 0)))).contains("Too few progress samples");
        assertThat(ThroughputSvg.render(List.of())).contains("Too few progress samples");
    }

    private static List<double[]> points(String svg) {
        Matcher m = POINTS.matcher(svg);
        assertThat(m.find()).as(svg).isTrue();
        return java.util.Arrays.stream(m.group(1).trim().split(" "))
                .map(p -> new double[] {Double.parseDouble(p.split(",")[0]), Double.parseDouble(p.split(",")[1])})
                .toList();
    }
}
