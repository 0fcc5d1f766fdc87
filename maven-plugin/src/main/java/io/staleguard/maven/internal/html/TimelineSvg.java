package io.staleguard.maven.internal.html;

import static io.staleguard.maven.internal.html.Svg.esc;
import static io.staleguard.maven.internal.html.Svg.n;

import io.staleguard.device.TimelineEvent.Type;
import io.staleguard.maven.internal.model.ReportedEvent;
import io.staleguard.maven.internal.model.ReportedViolation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Draws an operation log as an SVG timeline: one lane per thread; write submit→complete and read
 * intervals as bars (each read labelled with the version it saw), read-ahead fills, writeback,
 * invalidations and other events as marks. Time runs left to right on an ordinal scale (each
 * distinct instant gets a column), so short races stay readable next to long waits.
 *
 * <p>Every element carries a CSS class ({@code sg-write}, {@code sg-read}, {@code sg-readahead},
 * {@code sg-invalidate}, ...) and a {@code <title>} with the event's details. A crash state's timeline adds the
 * crash point ({@code sg-crash}, a dashed line across every lane), the operations the crash dropped
 * ({@code sg-dropped}, hollow) or tore ({@code sg-torn}, half filled), and acknowledgements ({@code sg-ack}, flags).
 */
public final class TimelineSvg {

    private static final int LEFT = 130;
    private static final int LANE = 38;
    private static final int TOP = 28;
    private static final int COLUMN = 46;
    private static final int MIN_WIDTH = 700;

    private TimelineSvg() {
    }

    /** The SVG for {@code events}; {@code violation} (may be null) highlights the read that saw bad data. */
    public static String render(List<ReportedEvent> events, ReportedViolation violation, String cssId) {
        if (events.isEmpty()) {
            return "<p class=\"sg-empty\">No operation log was recorded for this violation.</p>";
        }
        // A landing is drawn on its write's lane, so a thread that only lands data (the DMA engine) needs none.
        java.util.Set<Long> submitted = new java.util.HashSet<>();
        for (ReportedEvent e : events) {
            if (e.typeOrNote() == Type.WRITE_SUBMIT) {
                submitted.add(e.writeId());
            }
        }
        Map<String, Integer> lanes = new LinkedHashMap<>();
        for (ReportedEvent e : events) {
            if (e.typeOrNote() == Type.WRITE_LAND && submitted.contains(e.writeId())) {
                continue;
            }
            lanes.computeIfAbsent(e.thread().isEmpty() ? "?" : e.thread(), k -> lanes.size());
        }
        TreeSet<Long> instants = new TreeSet<>();
        events.forEach(e -> instants.add(e.time()));
        Map<Long, Integer> column = new HashMap<>();
        for (Long t : instants) {
            column.put(t, column.size());
        }
        int width = Math.max(Math.max(MIN_WIDTH, LEFT + legendWidth(events) + 20),
                LEFT + (instants.size() + 1) * COLUMN + 20);
        int height = TOP + lanes.size() * LANE + 30;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sg-timeline\" id=\"").append(esc(cssId))
                .append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\">\n");
        // lanes
        for (Map.Entry<String, Integer> lane : lanes.entrySet()) {
            int y = TOP + lane.getValue() * LANE;
            sb.append("<g class=\"sg-lane\"><rect x=\"0\" y=\"").append(y).append("\" width=\"").append(width)
                    .append("\" height=\"").append(LANE).append("\" class=\"sg-lane-bg")
                    .append(lane.getValue() % 2 == 0 ? " even" : "").append("\"/><text x=\"6\" y=\"")
                    .append(y + LANE / 2 + 4).append("\" class=\"sg-thread\">").append(esc(lane.getKey()))
                    .append("</text></g>\n");
        }
        // time axis: the real instant of every column
        sb.append("<g class=\"sg-axis\">");
        int longest = instants.stream().mapToInt(t -> ("t=" + t).length()).max().orElse(4);
        int step = Math.max(1, (int) Math.ceil((longest * 6.2 + 6) / COLUMN));
        int i = 0;
        for (Long t : instants) {
            if (i % step == 0) {
                double x = x(i);
                sb.append("<line x1=\"").append(n(x)).append("\" y1=\"").append(TOP - 4).append("\" x2=\"")
                        .append(n(x)).append("\" y2=\"").append(height - 26).append("\" class=\"sg-grid\"/>")
                        .append("<text x=\"").append(n(x)).append("\" y=\"").append(TOP - 8)
                        .append("\" text-anchor=\"middle\" class=\"sg-tick\">t=").append(t).append("</text>");
            }
            i++;
        }
        sb.append("</g>\n");

        Map<Long, ReportedEvent> openWrites = new HashMap<>();
        Map<String, Deque<ReportedEvent>> openReads = new HashMap<>();
        Map<String, Deque<ReportedEvent>> openWriteback = new HashMap<>();
        List<String> marks = new ArrayList<>();
        for (ReportedEvent e : events) {
            String thread = e.thread().isEmpty() ? "?" : e.thread();
            Type type = e.typeOrNote();
            switch (type) {
                case WRITE_SUBMIT -> openWrites.put(e.writeId(), e);
                case WRITE_COMPLETE -> {
                    ReportedEvent start = openWrites.remove(e.writeId());
                    ReportedEvent from = start == null ? e : start;
                    bar(sb, "sg-write", lanes.get(laneOf(from)), column.get(from.time()), column.get(e.time()),
                            // A file write of a crash timeline has no version: label it by its range alone.
                            (e.writeId() == 0 ? "" : "v" + e.writeId() + " ") + range(e),
                            "write " + (e.writeId() == 0 ? "" : "v" + e.writeId() + " ") + range(e)
                                    + " submitted t=" + from.time() + " by " + laneOf(from) + ", completed t="
                                    + e.time() + (e.note().isEmpty() ? "" : " (" + e.note() + ")"), 0);
                }
                case WRITE_LAND -> {
                    ReportedEvent w = openWrites.get(e.writeId());
                    String lane = w == null ? thread : laneOf(w);
                    marks.add(diamond("sg-land", lanes.get(lane), column.get(e.time()),
                            "v" + e.writeId() + " landed " + range(e) + " t=" + e.time() + " (" + thread + ")"));
                }
                case READ_SUBMIT -> openReads.computeIfAbsent(thread, k -> new ArrayDeque<>()).add(e);
                case READ_COMPLETE -> {
                    Deque<ReportedEvent> q = openReads.get(thread);
                    ReportedEvent start = q == null || q.isEmpty() ? e : q.poll();
                    boolean bad = violation != null && overlaps(e, violation) && isReadKind(violation);
                    bar(sb, bad ? "sg-read sg-bad" : "sg-read", lanes.get(thread), column.get(start.time()),
                            column.get(e.time()), "saw v" + e.writeId(), "read " + range(e) + " t=" + start.time()
                                    + "..t=" + e.time() + " saw v" + e.writeId()
                                    + (e.note().isEmpty() ? "" : " (" + e.note() + ")")
                                    + (bad ? " - the violating read" : ""), 1);
                }
                case WRITEBACK_START -> openWriteback.computeIfAbsent(thread, k -> new ArrayDeque<>()).add(e);
                case WRITEBACK_END -> {
                    Deque<ReportedEvent> q = openWriteback.get(thread);
                    ReportedEvent start = q == null || q.isEmpty() ? e : q.poll();
                    bar(sb, "sg-writeback", lanes.get(thread), column.get(start.time()), column.get(e.time()),
                            "wb", "writeback " + range(e) + " t=" + start.time() + "..t=" + e.time()
                                    + (e.writeId() == 0 ? "" : " v" + e.writeId()), 2);
                }
                case READAHEAD -> marks.add(fill("sg-readahead", lanes.get(thread), column.get(e.time()),
                        "read-ahead fill " + range(e) + (e.writeId() == 0 ? "" : " with v" + e.writeId()) + " t="
                                + e.time() + (e.note().isEmpty() ? "" : " (" + e.note() + ")")));
                case INVALIDATE -> marks.add(invalidate(lanes.get(thread), column.get(e.time()), height,
                        "invalidate " + range(e) + " t=" + e.time() + (e.note().isEmpty() ? "" : " (" + e.note()
                                + ")")));
                default -> {
                    Mark mark = MARKS.getOrDefault(type, TimelineSvg::dot);
                    marks.add(mark.draw(new Spot(css(type), lanes.get(thread), column.get(e.time()), lanes.size(),
                            height), title(type, e)));
                }
            }
        }
        // writes never completed within the log: in flight to the end
        for (ReportedEvent w : openWrites.values()) {
            bar(sb, "sg-write sg-inflight", lanes.get(laneOf(w)), column.get(w.time()), instants.size(),
                    "v" + w.writeId() + " in flight", "write v" + w.writeId() + " " + range(w) + " submitted t="
                            + w.time() + ", not completed within the log", 0);
        }
        for (Deque<ReportedEvent> q : openReads.values()) {
            for (ReportedEvent r : q) {
                bar(sb, "sg-read sg-inflight", lanes.get(laneOf(r)), column.get(r.time()), instants.size(),
                        "read…", "read " + range(r) + " submitted t=" + r.time() + ", not completed within the log", 1);
            }
        }
        marks.forEach(sb::append);
        sb.append(legend(height - 12, events));
        sb.append("</svg>");
        return sb.toString();
    }

    private static String laneOf(ReportedEvent e) {
        return e.thread().isEmpty() ? "?" : e.thread();
    }

    private static double x(int column) {
        return LEFT + column * COLUMN + COLUMN / 2.0;
    }

    private static void bar(StringBuilder sb, String css, int lane, int fromCol, int toCol, String label,
                            String title, int row) {
        double x1 = x(fromCol) - 4;
        double x2 = Math.max(x(toCol) + 4, x1 + Math.max(12, label.length() * 6 + 8));
        // Bars take the lower part of a lane, read-ahead fills the top strip, so neither hides the other's label.
        double y = TOP + lane * LANE + 14 + row * 2;
        double h = LANE - 18;
        sb.append("<g class=\"").append(css).append("\"><title>").append(esc(title)).append("</title><rect x=\"")
                .append(n(x1)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(x2 - x1))
                .append("\" height=\"").append(n(h)).append("\" rx=\"3\"/><text x=\"").append(n(x1 + 4))
                .append("\" y=\"").append(n(y + h / 2 + 4)).append("\" class=\"sg-label\">").append(esc(label))
                .append("</text></g>\n");
    }

    private static String diamond(String css, int lane, int col, String title) {
        double cx = x(col);
        double cy = TOP + lane * LANE + LANE - 6;
        return "<g class=\"" + css + "\"><title>" + esc(title) + "</title><path d=\"M" + n(cx) + " " + n(cy - 5)
                + " L" + n(cx + 5) + " " + n(cy) + " L" + n(cx) + " " + n(cy + 5) + " L" + n(cx - 5) + " " + n(cy)
                + " Z\"/></g>\n";
    }

    private static String fill(String css, int lane, int col, String title) {
        double cx = x(col);
        double y = TOP + lane * LANE + 1;
        return "<g class=\"" + css + "\"><title>" + esc(title) + "</title><rect x=\"" + n(cx - 14) + "\" y=\""
                + n(y) + "\" width=\"28\" height=\"12\" rx=\"2\"/><text x=\"" + n(cx - 7)
                + "\" y=\"" + n(y + 10) + "\" class=\"sg-label\">RA</text></g>\n";
    }

    private static String invalidate(int lane, int col, int height, String title) {
        double cx = x(col);
        double y = TOP + lane * LANE;
        return "<g class=\"sg-invalidate\"><title>" + esc(title) + "</title><line x1=\"" + n(cx) + "\" y1=\""
                + TOP + "\" x2=\"" + n(cx) + "\" y2=\"" + (height - 26) + "\"/><path d=\"M" + n(cx - 6) + " "
                + n(y + 8) + " L" + n(cx + 6) + " " + n(y + 20) + " M" + n(cx + 6) + " " + n(y + 8) + " L"
                + n(cx - 6) + " " + n(y + 20) + "\"/></g>\n";
    }

    /** Where a mark goes: its CSS class, lane and column, and the drawing's lane count and height. */
    private record Spot(String css, int lane, int col, int lanes, int height) {
    }

    /** How one event type is drawn. */
    @FunctionalInterface
    private interface Mark {
        String draw(Spot at, String title);
    }

    /**
     * The event types drawn as marks, each by its own shape; a type without an entry is a dot. A new event type is
     * one entry here (and one in {@link #MARK_LEGEND}).
     */
    private static final Map<Type, Mark> MARKS = new EnumMap<>(Map.of(
            Type.CRASH, TimelineSvg::crash,
            Type.DROPPED, (at, title) -> lost(at, title, false),
            Type.TORN, (at, title) -> lost(at, title, true),
            Type.ACK, TimelineSvg::flag,
            Type.IO_FAULT, TimelineSvg::lightning));

    /** The legend entries of the marks, shown when a timeline holds such an event. */
    private static final Map<Type, String[]> MARK_LEGEND = new EnumMap<>(Map.of(
            Type.CRASH, new String[] {"sg-crash", "power lost (crash point)"},
            Type.DROPPED, new String[] {"sg-dropped", "dropped by the crash"},
            Type.TORN, new String[] {"sg-torn", "torn by the crash"},
            Type.ACK, new String[] {"sg-ack", "acknowledged"},
            Type.IO_FAULT, new String[] {"sg-io-fault", "injected fault"}));

    private static String css(Type type) {
        return "sg-" + type.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static String title(Type type, ReportedEvent e) {
        return switch (type) {
            // The crash events carry their whole story in the note; offsets would only repeat it.
            case CRASH, DROPPED, TORN, ACK -> e.note() + " t=" + e.time();
            case IO_FAULT -> "injected fault " + range(e) + " t=" + e.time() + (e.note().isEmpty() ? "" : ": "
                    + e.note());
            default -> type.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " " + range(e) + " t="
                    + e.time() + (e.writeId() == 0 ? "" : " v" + e.writeId())
                    + (e.note().isEmpty() ? "" : " (" + e.note() + ")");
        };
    }

    private static String dot(Spot at, String title) {
        return "<g class=\"sg-mark " + at.css() + "\"><title>" + esc(title) + "</title><circle cx=\"" + n(x(at.col()))
                + "\" cy=\"" + n(TOP + at.lane() * LANE + LANE / 2.0) + "\" r=\"5\"/></g>\n";
    }

    /** The crash point: a dashed vertical line across every lane, labelled at the top. */
    private static String crash(Spot at, String title) {
        double cx = x(at.col());
        return "<g class=\"sg-crash\"><title>" + esc(title) + "</title><line x1=\"" + n(cx) + "\" y1=\"" + (TOP - 14)
                + "\" x2=\"" + n(cx) + "\" y2=\"" + (at.height() - 26) + "\"/><text x=\"" + n(cx + 4) + "\" y=\""
                + (TOP - 16) + "\" class=\"sg-crash-label\">power lost</text></g>\n";
    }

    /** A dropped (hollow) or torn (half filled) operation, in the top strip of its lane above the write's bar. */
    private static String lost(Spot at, String title, boolean torn) {
        double cx = x(at.col());
        double y = TOP + at.lane() * LANE + 1;
        String box = "<rect x=\"" + n(cx - 14) + "\" y=\"" + n(y) + "\" width=\"28\" height=\"12\" rx=\"2\"/>";
        String half = torn ? "<rect class=\"sg-half\" x=\"" + n(cx - 14) + "\" y=\"" + n(y) + "\" width=\"14\" "
                + "height=\"12\" rx=\"2\"/>" : "";
        return "<g class=\"" + at.css() + "\"><title>" + esc(title) + "</title>" + box + half + "<text x=\""
                + n(cx - 10) + "\" y=\"" + n(y + 10) + "\" class=\"sg-mark-label\">" + (torn ? "torn" : "drop")
                + "</text></g>\n";
    }

    /** An injected storage fault (issue #13): a lightning bolt in the lane of the thread whose operation it hit. */
    private static String lightning(Spot at, String title) {
        double cx = x(at.col());
        double y = TOP + at.lane() * LANE + 4;
        return "<g class=\"sg-io-fault\"><title>" + esc(title) + "</title><path d=\"M" + n(cx + 3) + " " + n(y)
                + " L" + n(cx - 5) + " " + n(y + 12) + " L" + n(cx) + " " + n(y + 12) + " L" + n(cx - 3) + " "
                + n(y + 24) + " L" + n(cx + 5) + " " + n(y + 10) + " L" + n(cx) + " " + n(y + 10) + " Z\"/></g>\n";
    }

    /** An acknowledgement: a flag on its thread's lane. */
    private static String flag(Spot at, String title) {
        // Right of the column's centre: an acknowledgement often shares its instant with the write it follows.
        double cx = x(at.col()) + 16;
        double y = TOP + at.lane() * LANE + 4;
        return "<g class=\"sg-ack\"><title>" + esc(title) + "</title><line x1=\"" + n(cx) + "\" y1=\"" + n(y)
                + "\" x2=\"" + n(cx) + "\" y2=\"" + n(y + LANE - 8) + "\"/><path d=\"M" + n(cx) + " " + n(y) + " L"
                + n(cx + 12) + " " + n(y + 5) + " L" + n(cx) + " " + n(y + 10) + " Z\"/></g>\n";
    }

    private static final String[][] LEGEND = {{"sg-write", "write submit→complete"}, {"sg-read", "read (version seen)"},
            {"sg-readahead", "read-ahead fill"}, {"sg-invalidate", "invalidation"}, {"sg-writeback", "writeback"},
            {"sg-land", "data landed"}, {"sg-bad", "violating read"}};

    /** The legend: the base entries, then those of the marks the timeline holds. */
    private static List<String[]> legendOf(List<ReportedEvent> events) {
        List<String[]> out = new ArrayList<>(List.of(LEGEND));
        java.util.EnumSet<Type> seen = java.util.EnumSet.noneOf(Type.class);
        events.forEach(e -> seen.add(e.typeOrNote()));
        for (Map.Entry<Type, String[]> m : MARK_LEGEND.entrySet()) {
            if (seen.contains(m.getKey())) {
                out.add(m.getValue());
            }
        }
        return out;
    }

    private static int legendWidth(List<ReportedEvent> events) {
        int w = 0;
        for (String[] it : legendOf(events)) {
            w += 22 + it[1].length() * 6;
        }
        return w;
    }

    private static String legend(int y, List<ReportedEvent> events) {
        StringBuilder sb = new StringBuilder("<g class=\"sg-legend\">");
        int x = LEFT;
        for (String[] it : legendOf(events)) {
            sb.append("<g class=\"").append(it[0]).append("\"><rect x=\"").append(x).append("\" y=\"")
                    .append(y - 9).append("\" width=\"12\" height=\"10\"/></g><text x=\"").append(x + 16)
                    .append("\" y=\"").append(y).append("\" class=\"sg-legend-text\">").append(esc(it[1]))
                    .append("</text>");
            x += 22 + it[1].length() * 6;
        }
        return sb.append("</g>\n").toString();
    }

    private static String range(ReportedEvent e) {
        return "[" + e.offset() + ",+" + e.length() + ")";
    }

    private static boolean overlaps(ReportedEvent e, ReportedViolation v) {
        return e.offset() < v.offset() + Math.max(1, v.length()) && v.offset() < e.offset() + Math.max(1, e.length());
    }

    private static boolean isReadKind(ReportedViolation v) {
        String k = v.kind() == null ? "" : v.kind();
        return k.equals("STALE_READ") || k.equals("TORN_READ") || k.equals("CORRUPT_READ")
                || k.equals("SHORT_TRANSFER") || k.equals("POSITION_RACE");
    }
}
