package io.staleguard.maven.internal.json;

import java.nio.file.Path;

/**
 * A report file that cannot be read: not JSON, not a Staleguard report, or of an unknown format.
 * The message names the file and says why, on one line.
 */
public final class ReportFileException extends Exception {

    private final Path file;

    public ReportFileException(Path file, String reason) {
        super(file + ": " + reason);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
