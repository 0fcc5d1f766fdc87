package io.staleguard.junit.internal;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * Writes per-test reports to {@code <reportDir>/<fully.qualified.Class>/<method>.json} and attaches them to the
 * test through {@code ExtensionContext.publishFile} where the JUnit version has it (5.12 and later; found
 * reflectively so that the extension runs on 5.11 too, where a report entry names the file instead).
 */
final class ReportFiles {

    /** The report entry key naming the report file. */
    static final String ENTRY = "staleguard.report";

    private ReportFiles() {
    }

    /** The report path of a test. */
    static Path path(Path reportDir, String className, String fileStem) {
        return reportDir.resolve(className).resolve(fileStem + ".json");
    }

    /** Writes the report atomically (temp file, then rename) and publishes it; returns its path. */
    static Path write(ExtensionContext context, Path reportDir, TestOutcome outcome, String fileStem)
            throws IOException {
        String json = TestReportDocument.render(outcome);
        Path file = path(reportDir, outcome.className(), fileStem).toAbsolutePath();
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), fileStem, ".tmp");
        try {
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        publish(context, fileStem + ".json", json, file);
        return file;
    }

    private static void publish(ExtensionContext context, String name, String json, Path file) {
        Method publishFile = publishFileMethod(context);
        if (publishFile != null) {
            try {
                Object mediaType = applicationJson(publishFile.getParameterTypes()[1]);
                ThrowingConsumer<Path> action = p -> Files.writeString(p, json, StandardCharsets.UTF_8);
                publishFile.invoke(context, name, mediaType, action);
                return;
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Fall through to a report entry: the file on disk is what tools read.
            }
        }
        context.publishReportEntry(ENTRY, file.toString());
    }

    private static Method publishFileMethod(ExtensionContext context) {
        Method found = null;
        for (Method m : ExtensionContext.class.getMethods()) {
            Class<?>[] p = m.getParameterTypes();
            if (m.getName().equals("publishFile") && p.length == 3 && p[0] == String.class
                    && p[2] == ThrowingConsumer.class) {
                // Prefer the non-deprecated overload where JUnit has two MediaType types.
                if (found == null || !m.isAnnotationPresent(Deprecated.class)) {
                    found = m;
                }
            }
        }
        return found;
    }

    private static Object applicationJson(Class<?> mediaType) throws ReflectiveOperationException {
        Field f = mediaType.getField("APPLICATION_JSON");
        return f.get(null);
    }
}
