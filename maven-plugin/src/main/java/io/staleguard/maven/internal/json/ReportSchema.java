package io.staleguard.maven.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The required fields of each report format (docs/REPORT-FORMAT.md), checked before a file is mapped: a report
 * that kept its {@code format} but lost a field would otherwise read as a clean test or an empty clean summary,
 * because absent numbers map to 0 and absent lists to empty ones. Optional members (a violation's
 * {@code location}, {@code crash}, a device's {@code faults} of 1.2, fields a later minor version adds) are not
 * checked, so old reports still read.
 */
final class ReportSchema {

    private enum Type {
        TEXT("a string"), NUMBER("an integer"), ARRAY("an array"), OBJECT("an object"), COUNTS("an object of counts");

        final String words;

        Type(String words) {
            this.words = words;
        }
    }

    /** A field, its type, and for arrays and objects the fields of each element. */
    private record Field(String name, Type type, List<Field> each) {
        static Field of(String name, Type type) {
            return new Field(name, type, List.of());
        }

        static Field each(String name, Type type, List<Field> each) {
            return new Field(name, type, each);
        }
    }

    private static final List<Field> VIOLATION = List.of(Field.of("kind", Type.TEXT), Field.of("offset", Type.NUMBER),
            Field.of("length", Type.NUMBER), Field.of("lba", Type.NUMBER));

    private static final List<Field> TEST_REPORT = List.of(
            Field.of("testId", Type.TEXT), Field.of("className", Type.TEXT), Field.of("methodName", Type.TEXT),
            Field.of("displayName", Type.TEXT), Field.of("status", Type.TEXT), Field.of("seed", Type.TEXT),
            Field.of("masterSeed", Type.TEXT), Field.of("backend", Type.TEXT), Field.of("preset", Type.TEXT),
            Field.of("operations", Type.NUMBER), Field.of("bytes", Type.NUMBER), Field.of("durationMillis", Type.NUMBER),
            Field.of("reproduce", Type.TEXT), Field.of("failOn", Type.ARRAY), Field.of("counts", Type.COUNTS),
            Field.each("devices", Type.ARRAY, List.of(Field.of("label", Type.TEXT),
                    Field.of("operations", Type.NUMBER), Field.of("bytes", Type.NUMBER), Field.of("counts", Type.COUNTS))),
            Field.each("violations", Type.ARRAY, VIOLATION));

    private static final List<Field> SOAK_SUMMARY = List.of(
            Field.of("status", Type.TEXT), Field.of("statusDetail", Type.TEXT), Field.of("startedAt", Type.TEXT),
            Field.of("budgetMillis", Type.NUMBER), Field.of("elapsedMillis", Type.NUMBER), Field.of("shard", Type.TEXT),
            Field.of("masterSeed", Type.TEXT), Field.of("kernels", Type.ARRAY), Field.of("backend", Type.TEXT),
            Field.of("sources", Type.ARRAY), Field.of("operations", Type.NUMBER), Field.of("bytes", Type.NUMBER),
            Field.of("counts", Type.COUNTS),
            Field.each("scenarios", Type.ARRAY, List.of(Field.of("hazard", Type.TEXT), Field.of("preset", Type.TEXT),
                    Field.of("runs", Type.NUMBER), Field.of("operations", Type.NUMBER),
                    Field.of("runsWithViolations", Type.NUMBER), Field.of("counts", Type.COUNTS))),
            Field.each("tests", Type.ARRAY, List.of(Field.of("className", Type.TEXT),
                    Field.of("methodName", Type.TEXT), Field.of("runs", Type.NUMBER), Field.of("failures", Type.NUMBER),
                    Field.of("operations", Type.NUMBER), Field.of("counts", Type.COUNTS))),
            Field.each("workloads", Type.ARRAY, List.of(Field.of("backend", Type.TEXT), Field.of("runs", Type.NUMBER),
                    Field.of("operations", Type.NUMBER), Field.of("counts", Type.COUNTS))),
            Field.each("throughput", Type.ARRAY, List.of(Field.of("elapsedMillis", Type.NUMBER),
                    Field.of("operations", Type.NUMBER))),
            Field.each("violations", Type.ARRAY, List.of(Field.of("id", Type.TEXT), Field.of("source", Type.TEXT),
                    Field.each("violation", Type.OBJECT, VIOLATION))));

    private static final List<Field> SOAK_VIOLATION = List.of(
            Field.each("entry", Type.OBJECT, List.of(Field.of("id", Type.TEXT), Field.each("violation", Type.OBJECT,
                    VIOLATION))),
            Field.of("timeline", Type.ARRAY));

    private static final Map<String, List<Field>> BY_FORMAT = Map.of(
            "staleguard-test-report/1", TEST_REPORT,
            "staleguard-soak-summary/1", SOAK_SUMMARY,
            "staleguard-soak-violation/1", SOAK_VIOLATION);

    /** The values a status field may take, per format. */
    private static final Map<String, Set<String>> STATUSES = Map.of(
            "staleguard-test-report/1", Set.of("PASSED", "FAILED", "ABORTED"),
            "staleguard-soak-summary/1", Set.of("COMPLETE", "REPLAY", "INTERRUPTED", "RUNNING", "CRASHED"));

    private ReportSchema() {
    }

    /**
     * Checks that {@code tree}, a report of {@code format}, has every required field with its type.
     *
     * @throws ReportFileException naming the file and the first missing or mistyped field
     */
    static void check(Path file, JsonNode tree, String format) throws ReportFileException {
        List<Field> fields = BY_FORMAT.get(format);
        if (fields == null) {
            return;
        }
        check(file, format, tree, fields, "");
        Set<String> statuses = STATUSES.get(format);
        if (statuses != null && !statuses.contains(tree.get("status").asText())) {
            throw new ReportFileException(file, "field 'status' is '" + tree.get("status").asText() + "', not a status"
                    + " of " + format + " (expected one of " + statuses.stream().sorted().toList() + ")");
        }
    }

    private static void check(Path file, String format, JsonNode node, List<Field> fields, String prefix)
            throws ReportFileException {
        for (Field f : fields) {
            String name = prefix + f.name();
            JsonNode value = node.get(f.name());
            if (value == null || value.isNull()) {
                throw new ReportFileException(file, "missing required field '" + name + "' (" + format
                        + ", docs/REPORT-FORMAT.md)");
            }
            if (!is(value, f.type())) {
                throw new ReportFileException(file, "field '" + name + "' must be " + f.type().words + ", was "
                        + abbreviate(value.toString()));
            }
            if (f.type() == Type.COUNTS) {
                var it = value.fields();
                while (it.hasNext()) {
                    var e = it.next();
                    if (!e.getValue().canConvertToLong() || !e.getValue().isIntegralNumber() || e.getValue().asLong() < 0) {
                        throw new ReportFileException(file, "field '" + name + "." + e.getKey() + "' must be a count "
                                + "(an integer, 0 or more), was " + abbreviate(e.getValue().toString()));
                    }
                }
            }
            if (f.each().isEmpty()) {
                continue;
            }
            if (value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    JsonNode element = value.get(i);
                    if (!element.isObject()) {
                        throw new ReportFileException(file, "field '" + name + "[" + i + "]' must be an object, was "
                                + abbreviate(element.toString()));
                    }
                    check(file, format, element, f.each(), name + "[" + i + "].");
                }
            } else {
                check(file, format, value, f.each(), name + ".");
            }
        }
    }

    private static boolean is(JsonNode value, Type type) {
        return switch (type) {
            case TEXT -> value.isTextual();
            case NUMBER -> value.isIntegralNumber() && value.canConvertToLong();
            case ARRAY -> value.isArray();
            case OBJECT, COUNTS -> value.isObject();
        };
    }

    private static String abbreviate(String json) {
        return json.length() <= 40 ? json : json.substring(0, 37) + "...";
    }
}
