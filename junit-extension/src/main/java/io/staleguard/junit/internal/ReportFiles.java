package io.staleguard.junit.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
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

    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicLong TEMP_NUMBERS = new AtomicLong();

    private ReportFiles() {
    }

    /** The report path of a test. */
    static Path path(Path reportDir, String className, String fileStem) {
        return reportDir.resolve(className).resolve(fileStem + ".json");
    }

    /**
     * Writes the report (temp file, then rename, so no reader sees a part of it) and publishes it; returns its path.
     *
     * <p>Two ways of writing a file cost a test about 1 ms on ext4 (mounted with its default {@code auto_da_alloc}),
     * where they make the kernel start writing the file's data out at once: renaming over an existing file, and
     * truncating one ({@code Files.createTempFile} and then writing it truncates the empty file it made). So the
     * temp file is created and written through one open, and a report of an earlier run at the path is deleted
     * before the rename.
     */
    static Path write(ExtensionContext context, Path reportDir, TestOutcome outcome, String fileStem)
            throws IOException {
        String json = TestReportDocument.render(outcome);
        Path file = path(reportDir, outcome.className(), fileStem).toAbsolutePath();
        Path tmp = writeTemp(file.getParent(), fileStem, json.getBytes(StandardCharsets.UTF_8));
        boolean moved = false;
        try {
            Files.deleteIfExists(file);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
        publish(context, fileStem + ".json", json, file);
        return file;
    }

    /**
     * Writes {@code bytes} to a new file {@code <stem>.<pid>-<n>.tmp} of {@code dir}, made (with {@code dir}, if it
     * does not exist, also if it was deleted since) and written through one open.
     */
    private static Path writeTemp(Path dir, String fileStem, byte[] bytes) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(fileStem + "." + PID + "-" + TEMP_NUMBERS.incrementAndGet() + ".tmp");
            try {
                try {
                    return writeNew(tmp, bytes);
                } catch (NoSuchFileException e) {
                    Files.createDirectories(dir);
                    return writeNew(tmp, bytes);
                }
            } catch (FileAlreadyExistsException e) {
                // Left by a JVM that had this process id: take the next number.
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /** Creates {@code tmp} (failing if it exists: then nothing was made) and writes {@code bytes} into it. */
    private static Path writeNew(Path tmp, byte[] bytes) throws IOException {
        OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (out) {
            out.write(bytes);
        } catch (IOException | RuntimeException e) {
            // A write that failed part-way (a full disk) leaves no temp file behind.
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return tmp;
    }

    private static void publish(ExtensionContext context, String name, String json, Path file) {
        Method publishFile = PublishFile.METHOD;
        if (publishFile != null && PublishFile.APPLICATION_JSON != null) {
            try {
                ThrowingConsumer<Path> action = p -> Files.writeString(p, json, StandardCharsets.UTF_8);
                publishFile.invoke(context, name, PublishFile.APPLICATION_JSON, action);
                return;
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Fall through to a report entry: the file on disk is what tools read.
            }
        }
        context.publishReportEntry(ENTRY, file.toString());
    }

    /** {@code ExtensionContext.publishFile} and its JSON media type, looked up once per JVM; null before JUnit 5.12. */
    private static final class PublishFile {

        static final Method METHOD = find();
        static final Object APPLICATION_JSON = mediaType(METHOD);

        private PublishFile() {
        }

        private static Method find() {
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

        private static Object mediaType(Method publishFile) {
            if (publishFile == null) {
                return null;
            }
            try {
                Field f = publishFile.getParameterTypes()[1].getField("APPLICATION_JSON");
                return f.get(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    }
}
