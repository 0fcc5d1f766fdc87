package io.staleguard.device.oracle;

import java.nio.ByteBuffer;
import java.util.List;
import io.staleguard.device.Violation;

/**
 * A test stand-in for a device: a plain byte array as media, with the oracle told about every
 * write and read in the order the contract asks (land before the bytes are visible).
 */
final class MemoryMedia implements MediaReader {

    final int blockSize;
    final byte[] media;
    final ViolationRecorder recorder = new ViolationRecorder();
    final OperationLog log = new OperationLog();
    final HistoryOracle oracle;

    MemoryMedia(int blockSize, int blocks) {
        this(blockSize, blocks, InitialContent.zeros(), null);
    }

    MemoryMedia(int blockSize, int blocks, InitialContent initial, byte[] existing) {
        this.blockSize = blockSize;
        this.media = existing != null ? existing : new byte[blockSize * blocks];
        this.oracle = new HistoryOracle(blockSize, (long) blockSize * blocks, recorder, log, null,
                initial.policy() == InitialContent.Policy.FROM_MEDIA ? InitialContent.fromMedia(this) : initial);
    }

    /** A correct synchronous write: submit, land, complete. */
    long write(long offset, byte[] data, String thread) {
        long id = oracle.writeSubmitted(offset, data.length, thread);
        land(id, offset, data);
        oracle.writeCompleted(id);
        return id;
    }

    long submit(long offset, int length, String thread) {
        return oracle.writeSubmitted(offset, length, thread);
    }

    void land(long id, long offset, byte[] data) {
        oracle.writeLanded(id, offset, ByteBuffer.wrap(data));
        synchronized (media) {
            System.arraycopy(data, 0, media, (int) offset, data.length);
        }
    }

    void complete(long id) {
        oracle.writeCompleted(id);
    }

    byte[] raw(long offset, int length) {
        byte[] out = new byte[length];
        synchronized (media) {
            System.arraycopy(media, (int) offset, out, 0, length);
        }
        return out;
    }

    /** A correct read from the media, checked. */
    List<Violation> read(long offset, int length, String thread) {
        long token = oracle.readStarted(offset, length, thread);
        return oracle.readCompleted(token, offset, ByteBuffer.wrap(raw(offset, length)), thread);
    }

    @Override
    public void read(long offset, ByteBuffer dst) {
        int n = dst.remaining();
        synchronized (media) {
            int avail = (int) Math.max(0, Math.min(n, media.length - offset));
            dst.put(media, (int) offset, avail);
            for (int i = avail; i < n; i++) {
                dst.put((byte) 0);
            }
        }
    }

    /** Block-sized content whose every byte derives from {@code tag} (never all zeros). */
    static byte[] content(int length, int tag) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (tag * 31 + i * 7 + 1);
        }
        return b;
    }
}
