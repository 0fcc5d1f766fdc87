package io.staleguard.junit.kit.crash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The persistence calls the crash components make, each spelled out once. */
final class Durably {

    private Durably() {
    }

    /** fsync of a directory: opening it for reading and forcing the channel, as Lucene's IOUtils.fsync does. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Writes all of {@code b} at {@code position}, continuing short writes. */
    static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long at = position;
        while (b.hasRemaining()) {
            at += ch.write(b, at);
        }
    }
}
