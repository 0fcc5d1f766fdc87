package io.staleguard.device.sim.kernel;

import java.util.List;

/** The five threads of the kernel history the hazards are modelled from. */
final class KernelThreads {

    /**
     * Jeff Moyer's AIO patch and its review (Christoph Hellwig, Peter Zijlstra, Zach Brown). It
     * quotes Karl Schendel's report of the sync case, which 65b8291c caused and bdb76ef5 fixed.
     */
    static final Reference AIO_DIO_INVALIDATE_2008 = new Reference("[patch] aio: invalidate async directio writes",
            "Jeff Moyer", "2008-06-18", List.of("65b8291c", "bdb76ef5"));

    /** Darrick J. Wong's bounce-buffer RFC and the stable-pages discussion it started. */
    static final Reference STABLE_PAGES_2011 = new Reference(
            "[RFC] block integrity: Fix write after checksum calculation problem", "Darrick J. Wong", "2011-02-22",
            List.of());

    /** The DAX fault vs write(2) race; the archived message (linux-mm) carries no subject line. */
    static final Reference DAX_FAULT_2017 = new Reference("", "Jan Kara, replying to Ross Zwisler on linux-mm",
            "2017-04", List.of());

    /** Lukas Czerner's fix: invalidate in dio_complete, in process context, before signalling completion. */
    static final Reference AIO_DIO_COMPLETE_2017 = new Reference(
            "fs: Fix page cache inconsistency when mixing buffered and AIO DIO", "Lukas Czerner", "2017", List.of());

    /** Filipe Manana's iomap fix for MariaDB's short NOWAIT reads on btrfs. */
    static final Reference IOMAP_DIO_PARTIAL_2022 = new Reference(
            "[PATCH] iomap: fix incomplete async dio reads when using IOMAP_DIO_PARTIAL", "Filipe Manana", "2022-02-28",
            List.of("51bd9563"));

    /** Every thread, in the order of the hazards. */
    static final List<Reference> ALL = List.of(AIO_DIO_INVALIDATE_2008, AIO_DIO_COMPLETE_2017, STABLE_PAGES_2011,
            DAX_FAULT_2017, IOMAP_DIO_PARTIAL_2022);

    private KernelThreads() {
    }
}
