package io.staleguard.junit.kit.faults;

import com.sun.nio.file.ExtendedOpenOption;
import io.staleguard.junit.Crash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An append-only log that forces each record before it acknowledges it, and what it does when the force fails.
 * The buggy one retries the force, which succeeds: on Linux the failed writeback marked the pages clean, so the
 * retry has nothing to write back and the record never reached the media (PostgreSQL's "fsyncgate", 2018). Its
 * twins treat a failed force as fatal for the data it covered: one rewrites the record from its own copy and forces
 * again, the other closes the file, re-opens it and replays every record since the last good force.
 */
public final class FsyncRetryLog implements AutoCloseable {

    /** Bytes per record of a buffered log. */
    public static final int RECORD = 128;
    /** Bytes per record of a direct-I/O log: one block. */
    public static final int DIRECT_RECORD = 4096;

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
    private final boolean direct;
    private final int size;
    private final List<ByteBuffer> unforced = new ArrayList<>();
    private long unforcedFrom;
    private FileChannel ch;
    private long end;

    /** A new buffered log at {@code file}. */
    public FsyncRetryLog(Path file, OnFailedForce handling) throws IOException {
        this(file, handling, false);
    }

    /**
     * A new log at {@code file}; {@code direct}: written with O_DIRECT in whole blocks, so a force has nothing to
     * write back and a failed one is the device's flush failing.
     */
    public FsyncRetryLog(Path file, OnFailedForce handling, boolean direct) throws IOException {
        this.file = file;
        this.handling = handling;
        this.direct = direct;
        this.size = direct ? DIRECT_RECORD : RECORD;
        this.ch = open(StandardOpenOption.CREATE);
    }

    private FileChannel open(StandardOpenOption... extra) throws IOException {
        Set<OpenOption> o = new HashSet<>(List.of(extra));
        o.add(StandardOpenOption.WRITE);
        if (direct) {
            o.add(ExtendedOpenOption.DIRECT);
        }
        return FileChannel.open(file, o);
    }

    /** Appends record {@code i}, forces it (handling a failed force its way) and acknowledges it. */
    public void append(int i, Crash crash) throws IOException {
        ByteBuffer r = record(i, size);
        long at = end;
        unforced.add(r.duplicate());
        writeFully(r, at);
        end += size;
        try {
            ch.force(true);
        } catch (IOException e) {
            switch (handling) {
                case RETRY -> ch.force(true);
                case REWRITE -> {
                    writeFully(record(i, size), at);
                    ch.force(true);
                }
                case REOPEN -> {
                    ch.close();
                    ch = open();
                    long pos = unforcedFrom;
                    for (ByteBuffer b : unforced) {
                        writeFully(b.duplicate(), pos);
                        pos += size;
                    }
                    ch.force(true);
                }
            }
        }
        unforced.clear();
        unforcedFrom = end;
        crash.acknowledge(file, at, size);
    }

    private void writeFully(ByteBuffer src, long position) throws IOException {
        ByteBuffer b = src;
        if (direct) {
            b = ByteBuffer.allocateDirect(src.remaining() + DIRECT_RECORD).alignedSlice(DIRECT_RECORD);
            b.put(src).flip();
        }
        long pos = position;
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    /** Record {@code i}: its text, space-padded to {@code size} bytes. */
    public static ByteBuffer record(int i, int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) ' ');
        byte[] text = ("fsync log record " + i).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, b, 0, text.length);
        return ByteBuffer.wrap(b);
    }
}
