package io.staleguard.device.core.internal;

import java.io.IOException;

/**
 * The fault decisions of one device, asked by the front end's stages only while its
 * {@link FaultPoint} is active. Each method that fires a fault also records it (the device's
 * ledger and an {@code IO_FAULT} event of the operation log) before it returns.
 */
public interface FaultHandler {

    /** The message of an injected I/O error, as Linux's {@code strerror(EIO)}. */
    String EIO = "Input/output error";

    /** The message of an injected full device, as Linux's {@code strerror(ENOSPC)}. */
    String ENOSPC = "No space left on device";

    /**
     * A write at submission, before the oracle knows it ({@code op.length()} already planned): null to go on,
     * or what the write does instead: fail with nothing moved, or move fewer bytes (the continuation by the same
     * caller then fails).
     */
    WriteFault beforeWrite(IoOp op);

    /**
     * A read at its DMA moment, before the media is read: how many bytes from {@code op.offset()} can be read
     * before the first bad block ({@code op.length()} when none is bad; 0: the read fails with EIO). Seeded
     * read errors and bit flips are decided here, before the media is read.
     */
    int readable(IoOp op);

    /**
     * A path's own whole-block media read (a page-cache fill) of {@code [offset, +length)} by {@code who}: bytes
     * before the first bad block, as {@link #readable(IoOp)}.
     */
    int readable(long offset, int length, String who);

    /** At a write's landing: whether it is acknowledged and never stored (a lost write). */
    boolean loses(IoOp op);

    /** At a write's landing: where its blocks land ({@code addressed} unless the write is misdirected). */
    long landing(IoOp op, long addressed);

    /** A path's writeback of whole blocks at {@code offset}: whether it is lost. */
    boolean losesWriteback(long offset, int length);

    /** A path's writeback of whole blocks at {@code offset}: where it lands ({@code offset} unless misdirected). */
    long landingWriteback(long offset, int length);

    /**
     * A path's writeback of whole blocks at {@code offset}: throws {@code IOException("Input/output error")}
     * while a failing fsync's window is open (see {@link #failsFlush}).
     */
    void beforeWriteback(long offset, int length) throws IOException;

    /**
     * A flush or force by {@code thread}: whether it fails (consumes one armed or seeded fsync failure). While
     * it is true the caller runs the flush in the failing window ({@link #openFailingWindow}).
     */
    boolean failsFlush(String thread);

    /** Opens the window in which every writeback fails; returns the writebacks failed so far (a mark). */
    long openFailingWindow();

    /** Closes the window; returns how many writebacks failed since {@code mark}. */
    long closeFailingWindow(long mark);
}
