package io.staleguard.device.sim.kernel;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * States of the Linux I/O stack that the kernel history names. Each preset is {@link #MODERN} with the
 * switches of one historical state changed, so that it reproduces exactly one hazard.
 *
 * <p>Look a preset up by name with {@link #named(String)}; build any other mix with
 * {@link KernelConfig#builder(KernelPreset)}.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum KernelPreset {

    /** Every fix on; the default. No hazard may ever be detected under it. */
    MODERN(null, Role.FIX, KernelThreads.ALL, "every fix of the history",
            DirectWriteInvalidation.BEFORE_AND_AFTER, AsyncWriteCompletion.PROCESS_CONTEXT_BEFORE_SIGNAL,
            CompletionListOrder.FIFO, StablePages.WAIT_IN_WRITE_AND_MKWRITE,
            DaxFaultLocking.ENTRY_LOCK_ACROSS_LOOKUP, PartialDirectRead.WAIT_AND_CONTINUE),

    /**
     * No invalidation around synchronous direct writes at all: the worst case of the 65b8291c
     * regression ("[patch] aio: invalidate async directio writes", Jeff Moyer, 2008-06-18). Every
     * page cached before the write stays stale.
     */
    DIO_NO_INVALIDATE(Hazard.H1, Role.HISTORICAL_BUG, List.of(KernelThreads.AIO_DIO_INVALIDATE_2008),
            "no page-cache invalidation around direct writes",
            DirectWriteInvalidation.NONE, null, null, null, null, null),

    /**
     * Commit 65b8291c, "dio: invalidate clean pages before dio write", before Zach Brown's bdb76ef5
     * (as Jeff Moyer's 2008 thread recounts): invalidation before the write only. Karl Schendel's
     * ring buffer sees the read-ahead pages that were populated while the write was in flight.
     */
    DIO_NO_POST_INVALIDATE_2007(Hazard.H1, Role.HISTORICAL_BUG, List.of(KernelThreads.AIO_DIO_INVALIDATE_2008),
            "65b8291c: invalidate before the direct write only",
            DirectWriteInvalidation.BEFORE_ONLY, null, null, null, null, null),

    /**
     * 2008, after bdb76ef5 and before any AIO fix ("[patch] aio: invalidate async directio writes",
     * Jeff Moyer, 2008-06-18): async direct writes complete in interrupt context without
     * invalidation; the sync-path "after" invalidation runs when the submission returns, too early.
     */
    AIO_DIO_IRQ_COMPLETION_2008(Hazard.H2, Role.HISTORICAL_BUG, List.of(KernelThreads.AIO_DIO_INVALIDATE_2008),
            "AIO direct-write completion in irq context, no invalidation",
            null, AsyncWriteCompletion.IRQ_NO_INVALIDATE, null, null, null, null),

    /**
     * Jeff Moyer's 2008 patch as the issue describes it ("[patch] aio: invalidate async directio
     * writes", 2008-06-18): the invalidation is deferred to a workqueue fed by {@code list_add},
     * after the completion is signalled. "Sometimes wrong" (Peter Zijlstra).
     */
    AIO_DIO_WORKQUEUE_2008(Hazard.H2, Role.INTERMEDIATE_FIX, List.of(KernelThreads.AIO_DIO_INVALIDATE_2008),
            "invalidation on a workqueue after the completion is signalled, list_add (LIFO)",
            null, AsyncWriteCompletion.WORKQUEUE_AFTER_SIGNAL, CompletionListOrder.LIFO, null, null, null),

    /**
     * The 2008 workqueue patch with Zach Brown's {@code list_add_tail} (his review in the same
     * thread, 2008-06-19): FIFO order narrows the window for the oldest completions but does not
     * close it.
     */
    AIO_DIO_WORKQUEUE_FIFO_2008(Hazard.H2, Role.INTERMEDIATE_FIX, List.of(KernelThreads.AIO_DIO_INVALIDATE_2008),
            "invalidation on a workqueue after the completion is signalled, list_add_tail (FIFO)",
            null, AsyncWriteCompletion.WORKQUEUE_AFTER_SIGNAL, CompletionListOrder.FIFO, null, null, null),

    /**
     * Before stable pages ("[RFC] block integrity: Fix write after checksum calculation problem",
     * Darrick J. Wong, 2011-02-22): rewrites of pages under writeback are allowed.
     */
    STABLE_PAGES_NONE_2011(Hazard.H3, Role.HISTORICAL_BUG, List.of(KernelThreads.STABLE_PAGES_2011),
            "no stable pages: write() and mapped stores change pages under writeback",
            null, null, null, StablePages.NONE, null, null),

    /**
     * Darrick J. Wong's second patch (in his 2011-02-22 RFC thread): wait on writeback in the
     * {@code write()} path only. Passes pure pwrite(), fails when a mapped region is scribbled on.
     */
    STABLE_PAGES_WRITE_ONLY_2011(Hazard.H3, Role.INTERMEDIATE_FIX, List.of(KernelThreads.STABLE_PAGES_2011),
            "wait on writeback in write() only, not in page_mkwrite",
            null, null, null, StablePages.WAIT_IN_WRITE_ONLY, null, null),

    /**
     * Darrick J. Wong's first patch (the 2011-02-22 RFC itself): bounce the page before computing the
     * checksum. Correct (and NAKed for its cost).
     */
    STABLE_PAGES_BOUNCE_2011(Hazard.H3, Role.FIX, List.of(KernelThreads.STABLE_PAGES_2011),
            "bounce (copy) the page before the checksum is computed",
            null, null, null, StablePages.BOUNCE_BEFORE_CHECKSUM, null, null),

    /**
     * DAX before Jan Kara's 2017 fix (his reply to Ross Zwisler on linux-mm, April 2017): the read
     * fault looks up the block mapping without the entry lock and can install a zero page over a
     * freshly written block.
     */
    DAX_UNLOCKED_FAULT_2017(Hazard.H4, Role.HISTORICAL_BUG, List.of(KernelThreads.DAX_FAULT_2017),
            "DAX fault looks up the block mapping without the entry lock",
            null, null, null, null, DaxFaultLocking.UNLOCKED_FAULT, null),

    /**
     * btrfs on 5.16, after 51bd9563 and before Filipe Manana's fix ("[PATCH] iomap: fix incomplete
     * async dio reads when using IOMAP_DIO_PARTIAL", 2022-02-28): a NOWAIT async direct read
     * with {@code IOMAP_DIO_PARTIAL} completes with the first extent's bytes only.
     */
    IOMAP_DIO_PARTIAL_2022(Hazard.H5, Role.HISTORICAL_BUG, List.of(KernelThreads.IOMAP_DIO_PARTIAL_2022),
            "NOWAIT IOMAP_DIO_PARTIAL read returns the first extent only",
            null, null, null, null, null, PartialDirectRead.NOWAIT_PARTIAL_FIRST_EXTENT);

    /** What a preset stands for in the history of its hazard. */
    public enum Role {
        /** The bug as reported: the hazard must be detected in every seed. */
        HISTORICAL_BUG,
        /** A partial fix the thread discussed; the thread predicts where it still fails. */
        INTERMEDIATE_FIX,
        /** A correct state: the hazard must never be detected. */
        FIX
    }

    private final Hazard hazard;
    private final Role role;
    private final List<Reference> references;
    private final String summary;
    private final KernelConfig config;

    KernelPreset(Hazard hazard, Role role, List<Reference> references, String summary, DirectWriteInvalidation dio,
                 AsyncWriteCompletion aio, CompletionListOrder order, StablePages stable, DaxFaultLocking dax,
                 PartialDirectRead partial) {
        this.hazard = hazard;
        this.role = role;
        this.references = references;
        this.summary = summary;
        // Every preset other than MODERN inherits MODERN's value for the switches it does not name.
        KernelConfig base = Defaults.MODERN;
        this.config = new KernelConfig(name(),
                dio != null ? dio : base.directWriteInvalidation(),
                aio != null ? aio : base.asyncWriteCompletion(),
                order != null ? order : base.completionListOrder(),
                stable != null ? stable : base.stablePages(),
                dax != null ? dax : base.daxFaultLocking(),
                partial != null ? partial : base.partialDirectRead());
    }

    /** The switches of this preset; its {@link KernelConfig#name()} is the preset's name. */
    public KernelConfig config() {
        return config;
    }

    /** The hazard this preset reproduces or fixes; empty for {@link #MODERN}, which fixes all. */
    public java.util.Optional<Hazard> hazard() {
        return java.util.Optional.ofNullable(hazard);
    }

    /** Whether this preset is the bug, a partial fix or a fix. */
    public Role role() {
        return role;
    }

    /** The threads of the public record this preset comes from; every thread for {@link #MODERN}. */
    public List<Reference> references() {
        return references;
    }

    /** One line saying what this preset changes. */
    public String summary() {
        return summary;
    }

    /** Every preset, MODERN first. */
    public static List<KernelPreset> all() {
        return List.of(values());
    }

    /**
     * Looks a preset up by name, ignoring case and accepting '-' for '_'.
     *
     * @throws IllegalArgumentException naming the bad value and listing the valid ones
     */
    public static KernelPreset named(String name) {
        if (name == null) {
            throw new IllegalArgumentException("kernel preset name is null (expected one of " + names() + ")");
        }
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (KernelPreset p : values()) {
            if (p.name().equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown kernel preset '" + name + "' (expected one of " + names() + ")");
    }

    private static List<String> names() {
        return Arrays.stream(values()).map(Enum::name).toList();
    }

    // Enum constants are created before the enum's static fields, so the defaults live in a holder class.
    private static final class Defaults {
        static final KernelConfig MODERN = new KernelConfig("MODERN", DirectWriteInvalidation.BEFORE_AND_AFTER,
                AsyncWriteCompletion.PROCESS_CONTEXT_BEFORE_SIGNAL, CompletionListOrder.FIFO,
                StablePages.WAIT_IN_WRITE_AND_MKWRITE, DaxFaultLocking.ENTRY_LOCK_ACROSS_LOOKUP,
                PartialDirectRead.WAIT_AND_CONTINUE);
    }
}
