package io.staleguard.device.file.internal;

import io.staleguard.device.IoMode;
import io.staleguard.device.core.internal.FrontEnd;
import io.staleguard.device.core.internal.IoOp;
import io.staleguard.device.core.internal.Media;
import io.staleguard.device.core.internal.TransferRoute;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * The media and route of a real backend: a file or block device reached through
 * {@link PosixMedia}. Each operation's transfer runs in the kernel path its {@link IoMode} names
 * (page cache or O_DIRECT); reads outside an operation (short-write resolution, scrub) see the
 * media, through O_DIRECT where possible. Direct writes are told to the {@link MixingTracker}.
 */
public final class RealMedia implements Media {

    /**
     * The mode of the operation the current thread is transferring ({@code [0]}; null outside a
     * transfer). A per-thread slot set and restored in place: {@code ThreadLocal.set} and
     * {@code remove} per operation cost a map update and a stale-entry sweep each.
     */
    private static final ThreadLocal<IoMode[]> MODE = ThreadLocal.withInitial(() -> new IoMode[1]);

    private final PosixMedia media;
    private final MixingTracker mixing;
    private final boolean verifyAfterWrite;
    private final IoMode rawMode;
    private final Supplier<String> description;
    private final IoAction release;
    private IoAction beforeClose = IoAction.NONE;
    private IoAction afterFlush = IoAction.NONE;
    private FrontEnd core;

    /**
     * @param media            the opened file or device
     * @param blockSize        the device's block size
     * @param verifyAfterWrite whether each landed range is read back and verified
     * @param description      the backend part of the device's description
     * @param release          run once after the media closed: delete a temporary file, detach a loop device
     */
    public RealMedia(PosixMedia media, int blockSize, boolean verifyAfterWrite, Supplier<String> description,
                     IoAction release) {
        this.media = media;
        this.mixing = new MixingTracker(blockSize);
        this.verifyAfterWrite = verifyAfterWrite;
        this.rawMode = media.directSupported() ? IoMode.DIRECT : IoMode.BUFFERED;
        this.description = description;
        this.release = release;
    }

    /** Binds the front end built over this media; before any I/O. */
    public void bind(FrontEnd frontEnd, IoAction beforeClosing, IoAction afterDeviceFlush) {
        this.core = frontEnd;
        this.beforeClose = beforeClosing;
        this.afterFlush = afterDeviceFlush;
    }

    /** The opened file or device. */
    public PosixMedia posix() {
        return media;
    }

    /** Where mmap stores and O_DIRECT writes meet. */
    public MixingTracker mixing() {
        return mixing;
    }

    @Override
    public void read(long offset, byte[] dst, int off, int len) throws IOException {
        media.read(offset, dst, off, len, mode());
    }

    @Override
    public void write(long offset, byte[] src, int off, int len) throws IOException {
        IoMode m = mode();
        // Marked before the data moves: a read racing this write must already find the range mixed.
        if (m == IoMode.DIRECT && mixing.active()) {
            mixing.directWrite(offset, len);
        }
        media.write(offset, src, off, len, m);
    }

    /** The route of every operation: the transfer, in the kernel path of the operation's mode. */
    public TransferRoute route() {
        return new TransferRoute() {
            @Override
            public boolean transfer(IoOp op) throws IOException {
                transferInMode(op);
                return true;
            }
        };
    }

    private void transferInMode(IoOp op) throws IOException {
        IoMode[] slot = MODE.get();
        IoMode previous = slot[0];
        slot[0] = op.mode();
        try {
            core.transferToMedia(op);
        } finally {
            slot[0] = previous;
        }
    }

    @Override
    public boolean verifyByReadBack() {
        return verifyAfterWrite;
    }

    @Override
    public void flush() throws IOException {
        media.fdatasync();
    }

    @Override
    public void flushed() throws IOException {
        afterFlush.run();
    }

    @Override
    public void close() throws IOException {
        try {
            beforeClose.run();
            media.close();
        } finally {
            release.run();
        }
    }

    @Override
    public String describe() {
        return description.get();
    }

    private IoMode mode() {
        IoMode m = MODE.get()[0];
        return m != null ? m : rawMode;
    }
}
