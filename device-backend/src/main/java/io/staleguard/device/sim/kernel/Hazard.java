package io.staleguard.device.sim.kernel;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.staleguard.device.ViolationKind;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The hazard catalogue: the five I/O consistency hazards of the kernel history, each a runnable
 * workload with the I/O pattern of its mailing-list thread ({@link #references()}).
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum Hazard {
    /** Karl Schendel's ring buffer: a sync O_DIRECT writer and a trailing buffered reader with read-ahead. */
    H1("Stale read after a synchronous direct write: Karl Schendel's ring buffer, an O_DIRECT writer and a "
            + "buffered sequential reader trailing it by a few blocks with read-ahead on",
            List.of(KernelThreads.AIO_DIO_INVALIDATE_2008), ViolationKind.STALE_READ, List.of(Mode.STANDARD)),
    /** The same with an async O_DIRECT writer (aio-dio-invalidate-readahead). */
    H2("Stale read after an asynchronous direct write: the ring buffer with an AIO O_DIRECT writer "
            + "(the aio-dio-invalidate-readahead pattern)",
            List.of(KernelThreads.AIO_DIO_INVALIDATE_2008, KernelThreads.AIO_DIO_COMPLETE_2017),
            ViolationKind.STALE_READ, List.of(Mode.STANDARD)),
    /** Darrick's reproducer: write() threads at random offsets under writeback, plus a mapped scribbler. */
    H3("Guard-tag violation (write after checksum): threads write() small blobs to random offsets while "
            + "writeback runs, plus a mapped-region scribbler (Darrick J. Wong's reproducer)",
            List.of(KernelThreads.STABLE_PAGES_2011), ViolationKind.GUARD_TAG, List.of(Mode.MMAP, Mode.WRITE)),
    /** DAX write(2) into a hole racing mapped read faults on the same range. */
    H4("DAX fault vs write: write(2) into a hole races mapped read faults on the same range; a zero page is "
            + "installed over the freshly written block",
            List.of(KernelThreads.DAX_FAULT_2017), ViolationKind.STALE_READ, List.of(Mode.STANDARD)),
    /** MariaDB's NOWAIT async direct read of 4 single-block extents with only the first buffer page faulted. */
    H5("Short read taken as complete: a NOWAIT async direct read of 4 single-block extents with only the "
            + "first buffer page faulted, by a reader that expects full reads (MariaDB on io_uring)",
            List.of(KernelThreads.IOMAP_DIO_PARTIAL_2022), ViolationKind.SHORT_TRANSFER, List.of(Mode.STANDARD));

    /**
     * A variant of a hazard's workload. Only H3 has two: Darrick's reproducer with and without the
     * mapped-region scribbler.
     */
    public enum Mode {
        /** The hazard's only workload. */
        STANDARD,
        /** H3 with {@code write()} threads and a mapped-region scribbler (the default for H3). */
        MMAP,
        /** H3 with {@code write()} threads only (Darrick's "pure pwrite() case"). */
        WRITE
    }

    private final String description;
    private final List<Reference> references;
    private final ViolationKind kind;
    private final List<Mode> modes;

    Hazard(String description, List<Reference> references, ViolationKind kind, List<Mode> modes) {
        this.description = description;
        this.references = references;
        this.kind = kind;
        this.modes = modes;
    }

    /** What the workload does and what goes wrong. */
    public String description() {
        return description;
    }

    /** The threads of the public record the hazard is modelled from, the report first. */
    public List<Reference> references() {
        return references;
    }

    /** The violation kind the hazard produces under its historical bug. */
    public ViolationKind expectedKind() {
        return kind;
    }

    /** The workload variants; the first is the default. */
    public List<Mode> modes() {
        return modes;
    }

    /** The default workload variant. */
    public Mode defaultMode() {
        return modes.get(0);
    }

    /** The preset that reproduces this hazard as it was reported. */
    public KernelPreset historicalBug() {
        return switch (this) {
            case H1 -> KernelPreset.DIO_NO_POST_INVALIDATE_2007;
            case H2 -> KernelPreset.AIO_DIO_IRQ_COMPLETION_2008;
            case H3 -> KernelPreset.STABLE_PAGES_NONE_2011;
            case H4 -> KernelPreset.DAX_UNLOCKED_FAULT_2017;
            case H5 -> KernelPreset.IOMAP_DIO_PARTIAL_2022;
        };
    }

    /** Every preset that targets this hazard (bug, intermediate fixes and alternative fixes). */
    public List<KernelPreset> presets() {
        return KernelPreset.all().stream().filter(p -> p.hazard().orElse(null) == this).toList();
    }

    /**
     * Parses "H1".."H5" (case-insensitive).
     *
     * @throws IllegalArgumentException naming the bad value and listing the valid ones
     */
    public static Hazard named(String name) {
        if (name != null) {
            for (Hazard h : values()) {
                if (h.name().equalsIgnoreCase(name.trim())) {
                    return h;
                }
            }
        }
        throw new IllegalArgumentException("unknown hazard '" + name + "' (expected one of "
                + java.util.Arrays.toString(values()) + ")");
    }
}
