package io.staleguard.maven.internal.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads and writes report files: format-checked reads with one-line errors naming the file, and
 * atomic writes (temp file in the same directory, then rename), so a reader never sees half a file.
 */
public final class ReportJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ReportJson() {
    }

    /** The shared mapper. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Reads {@code file} as {@code type}, after checking that its {@code format} field is
     * {@code expectedFormat} (same name and major version) and that it has the format's required fields.
     */
    public static <T> T read(Path file, Class<T> type, String expectedFormat) throws ReportFileException {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new ReportFileException(file, "not valid JSON (" + firstLine(e.getOriginalMessage())
                    + " at line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        } catch (IOException e) {
            throw new ReportFileException(file, "cannot be read (" + e + ")");
        }
        if (tree == null || !tree.isObject()) {
            throw new ReportFileException(file, "not a Staleguard report (expected a JSON object with format '"
                    + expectedFormat + "')");
        }
        JsonNode format = tree.get("format");
        if (format == null || !format.isTextual()) {
            throw new ReportFileException(file, "not a Staleguard report (no 'format' field; expected '"
                    + expectedFormat + "')");
        }
        if (!format.asText().equals(expectedFormat)) {
            throw new ReportFileException(file, "unknown report format '" + format.asText() + "' (expected '"
                    + expectedFormat + "')");
        }
        ReportSchema.check(file, tree, expectedFormat);
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new ReportFileException(file, "malformed " + expectedFormat + " report ("
                    + firstLine(e.getOriginalMessage()) + ")");
        } catch (IllegalArgumentException e) {
            throw new ReportFileException(file, "malformed " + expectedFormat + " report (" + firstLine(e.getMessage())
                    + ")");
        }
    }

    /** Writes {@code value} as JSON to {@code file} atomically, creating parent directories. */
    public static void writeAtomically(Path file, Object value) throws IOException {
        writeAtomically(file, MAPPER.writeValueAsBytes(value));
    }

    /** Writes text to {@code file} atomically, creating parent directories. */
    public static void writeAtomically(Path file, String text) throws IOException {
        writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        String t = s;
        // Jackson appends source locations the message repeats anyway; keep the reason.
        for (String cut : new String[] {"\n", " (start marker at", " at [Source"}) {
            int i = t.indexOf(cut);
            if (i >= 0) {
                t = t.substring(0, i);
            }
        }
        return t;
    }
}
