package io.staleguard.junit.kit.crash;

import io.staleguard.junit.Crash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * An append-only operation log written in batches. The buggy one acknowledges each operation as it writes it,
 * before the batch's {@code force(false)}; its twin acknowledges after the force.
 */
public final class Translog {

    private final Path file;
    private final boolean buggy;

    /** A translog at {@code file}; {@code buggy} acknowledges before the force. */
    public Translog(Path file, boolean buggy) {
        this.file = file;
        this.buggy = buggy;
    }

    /** Appends operations {@code from..to} as one batch, acknowledging each as {@code "op-<i>"}. */
    public void append(int from, int to, Crash crash) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long at = ch.size();
            for (int i = from; i <= to; i++) {
                ByteBuffer line = ByteBuffer.wrap(("op-" + i + "\n").getBytes(StandardCharsets.US_ASCII));
                int n = line.remaining();
                Durably.writeFully(ch, line, at);
                at += n;
                if (buggy) {
                    crash.acknowledge("op-" + i);
                }
            }
            ch.force(false);
        }
        if (!buggy) {
            for (int i = from; i <= to; i++) {
                crash.acknowledge("op-" + i);
            }
        }
    }

    /** The complete operations in the file (a torn last line is not one); none when the file is absent. */
    public static Set<String> read(Path file) throws IOException {
        Set<String> ops = new LinkedHashSet<>();
        if (!Files.exists(file)) {
            return ops;
        }
        String text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        int start = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
            ops.add(text.substring(start, nl));
            start = nl + 1;
        }
        return ops;
    }
}
