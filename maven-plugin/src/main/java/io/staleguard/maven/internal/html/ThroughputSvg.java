package io.staleguard.maven.internal.html;

import static io.staleguard.maven.internal.html.Svg.esc;
import static io.staleguard.maven.internal.html.Svg.n;

import io.staleguard.maven.internal.model.ThroughputSample;
import java.util.List;

/**
 * Draws a soak's throughput over time (operations per second per progress interval) as an SVG
 * line chart, with the violations found marked on the time axis.
 */
public final class ThroughputSvg {

    private static final int W = 760;
    private static final int H = 220;
    private static final int L = 70;
    private static final int B = 30;

    private ThroughputSvg() {
    }

    /**
     * The chart, or a sentence when there is no progress sample. Each interval's rate is drawn as a step over the
     * whole interval, so the line starts at zero seconds, not at the first progress line; a summary whose samples
     * do not begin at zero (written by hand, or by another tool) gets the origin its cumulative counts imply.
     */
    public static String render(List<ThroughputSample> given) {
        List<ThroughputSample> samples = given;
        if (!given.isEmpty() && given.get(0).elapsedMillis() > 0) {
            samples = new java.util.ArrayList<>(given.size() + 1);
            samples.add(new ThroughputSample(0, 0, 0, 0));
            samples.addAll(given);
        }
        if (samples.size() < 2) {
            return "<p class=\"sg-empty\">Too few progress samples for a throughput chart.</p>";
        }
        int k = samples.size() - 1;
        double[] rate = new double[k];
        double[] mbps = new double[k];
        double max = 1;
        for (int i = 0; i < k; i++) {
            ThroughputSample a = samples.get(i);
            ThroughputSample b = samples.get(i + 1);
            double secs = Math.max(1, b.elapsedMillis() - a.elapsedMillis()) / 1000.0;
            rate[i] = (b.operations() - a.operations()) / secs;
            mbps[i] = (b.bytes() - a.bytes()) / secs / 1e6;
            max = Math.max(max, rate[i]);
        }
        long end = Math.max(1, samples.get(k).elapsedMillis());
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sg-throughput\" width=\"").append(W)
                .append("\" height=\"").append(H).append("\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\">\n<line class=\"sg-grid\" x1=\"").append(L).append("\" y1=\"").append(H - B)
                .append("\" x2=\"").append(W - 10).append("\" y2=\"").append(H - B).append("\"/>")
                .append("<line class=\"sg-grid\" x1=\"").append(L).append("\" y1=\"10\" x2=\"").append(L)
                .append("\" y2=\"").append(H - B).append("\"/>")
                .append("<text class=\"sg-tick\" x=\"4\" y=\"18\">").append(String.format("%,.0f", max))
                .append(" op/s</text><text class=\"sg-tick\" x=\"4\" y=\"").append(H - B).append("\">0</text>")
                .append("<text class=\"sg-tick\" x=\"").append(L).append("\" y=\"").append(H - 8)
                .append("\">0 s</text>")
                .append("<text class=\"sg-tick\" x=\"").append(W - 80).append("\" y=\"").append(H - 8)
                .append("\">").append(end / 1000).append(" s</text>\n<polyline class=\"sg-rate\" points=\"");
        for (int i = 0; i < k; i++) {
            double x0 = x(samples.get(i).elapsedMillis(), end);
            double x1 = x(samples.get(i + 1).elapsedMillis(), end);
            double y = (H - B) - (H - B - 10) * (rate[i] / max);
            sb.append(n(x0)).append(',').append(n(y)).append(' ').append(n(x1)).append(',').append(n(y)).append(' ');
        }
        sb.append("\"/>\n");
        for (int i = 0; i < k; i++) {
            ThroughputSample b = samples.get(i + 1);
            double x = x(b.elapsedMillis(), end);
            double y = (H - B) - (H - B - 10) * (rate[i] / max);
            sb.append("<g class=\"sg-sample\"><title>").append(esc(String.format("t=%ds: %,.0f op/s, %.1f MB/s, %d"
                    + " violations so far", b.elapsedMillis() / 1000, rate[i], mbps[i], b.violations())))
                    .append("</title><circle cx=\"").append(n(x)).append("\" cy=\"").append(n(y))
                    .append("\" r=\"3\"/></g>");
            if (b.violations() > samples.get(i).violations()) {
                sb.append("<g class=\"sg-violation-mark\"><title>").append(esc((b.violations()
                        - samples.get(i).violations()) + " violations in this interval")).append("</title><path d=\"M")
                        .append(n(x - 5)).append(' ').append(H - B + 12).append(" L").append(n(x)).append(' ')
                        .append(H - B + 2).append(" L").append(n(x + 5)).append(' ').append(H - B + 12)
                        .append(" Z\"/></g>");
            }
        }
        return sb.append("\n</svg>").toString();
    }

    /** The x of {@code millis} on an axis from zero to {@code end}. */
    private static double x(long millis, long end) {
        return L + (W - L - 10) * (millis / (double) end);
    }
}
