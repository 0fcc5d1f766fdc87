package io.staleguard.junit.kit.faults;

import io.staleguard.junit.Crash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only log that forces each record before it acknowledges it, and what it does when the force fails.
 * The buggy one retries the force, which succeeds: on Linux the failed writeback marked the pages clean, so the
 * retry has nothing to write back and the record never reached the media (PostgreSQL's "fsyncgate", 2018). Its
 * twins treat a failed force as fatal for the data it covered: one rewrites the record from its own copy and forces
 * again, the other closes the file, re-opens it and replays every record since the last good force.
 */
public final class FsyncRetryLog implements AutoCloseable {

    /** Bytes per record. */
    public static final int RECORD = 128;

    /** What the log does when {@code force} throws. */
    public enum OnFailedForce {
        /** The bug: force again, and believe it. */
        RETRY,
        /** Write the record again from the log's own copy, then force. */
        REWRITE,
        /** Close, re-open, and replay the records since the last good force, then force. */
        REOPEN
    }

    private final Path file;
    private final OnFailedForce handling;
    private final List<ByteBuffer> unforced = new ArrayList<>();
    private long unforcedFrom;
    private FileChannel ch;
    private long end;

    /** A new log at {@code file}. */
    public FsyncRetryLog(Path file, OnFailedForce handling) throws IOException {
        this.file = file;
        this.handling = handling;
        this.ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    /** Appends record {@code i}, forces it (handling a failed force its way) and acknowledges it. */
    public void append(int i, Crash crash) throws IOException {
        ByteBuffer r = record(i);
        long at = end;
        unforced.add(r.duplicate());
        writeFully(r, at);
        end += RECORD;
        try {
            ch.force(true);
        } catch (IOException e) {
            switch (handling) {
                case RETRY -> ch.force(true);
                case REWRITE -> {
                    writeFully(record(i), at);
                    ch.force(true);
                }
                case REOPEN -> {
                    ch.close();
                    ch = FileChannel.open(file, StandardOpenOption.WRITE);
                    long pos = unforcedFrom;
                    for (ByteBuffer b : unforced) {
                        writeFully(b.duplicate(), pos);
                        pos += RECORD;
                    }
                    ch.force(true);
                }
            }
        }
        unforced.clear();
        unforcedFrom = end;
        crash.acknowledge(file, at, RECORD);
    }

    private void writeFully(ByteBuffer b, long position) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    /** Record {@code i}: its text, space-padded to {@link #RECORD} bytes. */
    public static ByteBuffer record(int i) {
        byte[] b = new byte[RECORD];
        java.util.Arrays.fill(b, (byte) ' ');
        byte[] text = ("fsync log record " + i).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, b, 0, text.length);
        return ByteBuffer.wrap(b);
    }
}
