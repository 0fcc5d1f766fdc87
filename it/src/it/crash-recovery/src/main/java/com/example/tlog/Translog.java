package com.example.tlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A transaction log that appends a batch of fixed-size operations and forces it once. The buggy one tells its client
 * each operation is done as soon as it is written, before the batch's force.
 */
public final class Translog {

    static final int OP = 64;

    private final Path file;
    private final boolean ackAfterForce;

    public Translog(Path file, boolean ackAfterForce) {
        this.file = file;
        this.ackAfterForce = ackAfterForce;
    }

    /** Appends operations {@code first..last} and forces them; {@code done} hears of each one the log considers done. */
    public void append(int first, int last, Consumer<String> done) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long at = ch.size();
            for (int i = first; i <= last; i++) {
                ByteBuffer b = op(i);
                while (b.hasRemaining()) {
                    at += ch.write(b, at);
                }
                if (!ackAfterForce) {
                    done.accept("op-" + i);
                }
            }
            ch.force(false);
            if (ackAfterForce) {
                for (int i = first; i <= last; i++) {
                    done.accept("op-" + i);
                }
            }
        }
    }

    /** The operations whole in the log, as recovery reads them. */
    public static Set<String> read(Path file) throws IOException {
        Set<String> ops = new LinkedHashSet<>();
        byte[] all = Files.readAllBytes(file);
        for (int at = 0; at + OP <= all.length; at += OP) {
            String text = new String(all, at, OP, StandardCharsets.US_ASCII).trim();
            if (text.startsWith("op-")) {
                ops.add(text);
            }
        }
        return ops;
    }

    static ByteBuffer op(int i) {
        byte[] b = new byte[OP];
        java.util.Arrays.fill(b, (byte) ' ');
        byte[] text = ("op-" + i).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, b, 0, text.length);
        return ByteBuffer.wrap(b);
    }
}
