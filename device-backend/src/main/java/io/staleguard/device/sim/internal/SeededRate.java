package io.staleguard.device.sim.internal;

import io.staleguard.device.FileLocation;
import io.staleguard.device.FileLocator;
import io.staleguard.device.core.internal.SeededRandom;
import io.staleguard.device.sim.Fault;
import io.staleguard.device.sim.FaultKind;
import io.staleguard.device.sim.FaultSpec;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;

/**
 * One item of a device's {@link FaultSpec}: whether it fires on an eligible operation, decided from the device's
 * seed and the operation's number (the same seed fires the same faults), within its scope. Counts the eligible
 * operations its scope admits, for {@code @N} and {@code @op:A-B}. Guarded by the device's {@link DeviceFaults}.
 */
final class SeededRate {

    /** The first salt of seeded faults; each item adds its kind and its index, clear of the other decisions. */
    private static final int FAULT_SALT = 16;

    private final FaultSpec.Item item;
    private final long id;
    private final long seed;
    private final int blockShift;
    private final int salt;
    private final PathMatcher glob;
    private long eligible;

    /**
     * @param index the item's place in the spec, so that two items of one kind decide apart
     * @param id    the fault number its firings carry
     */
    SeededRate(FaultSpec.Item item, int index, long id, long seed, int blockShift) {
        this.item = item;
        this.id = id;
        this.seed = seed;
        this.blockShift = blockShift;
        this.salt = FAULT_SALT + item.kind().ordinal() + (index << 8);
        this.glob = item.scope().type() == FaultSpec.ScopeType.FILE
                ? FileSystems.getDefault().getPathMatcher("glob:" + item.scope().glob()) : null;
    }

    FaultKind kind() {
        return item.kind();
    }

    /**
     * Whether the item fires on eligible operation {@code seq} touching device bytes {@code [off, +len)};
     * {@code files} (the filesystem's map, or null) places them for a file scope.
     */
    boolean decide(long seq, long off, long len, FileLocator files) {
        FaultSpec.Scope scope = item.scope();
        switch (scope.type()) {
            case LBAS -> {
                long first = off >> blockShift;
                long last = (off + Math.max(1, len) - 1) >> blockShift;
                if (last < scope.from() || first > scope.to()) {
                    return false;
                }
            }
            case FILE -> {
                FileLocation at = files == null ? null : files.locate(off);
                if (at == null || !glob.matches(Path.of(at.path()))) {
                    return false;
                }
            }
            default -> {
            }
        }
        long n = ++eligible;
        return switch (scope.type()) {
            case NTH -> n == scope.from();
            case OPS -> n >= scope.from() && n <= scope.to() && roll(seq);
            default -> roll(seq);
        };
    }

    private boolean roll(long seq) {
        return item.rate() >= 1 || SeededRandom.unit(seed, seq, salt) < item.rate();
    }

    /** The item as a fault, for the ledger and {@code armed()}. */
    Fault asFault() {
        return new Fault(id, item.kind(), item.scope().type() == FaultSpec.ScopeType.ALL
                ? "every eligible operation" : "@" + item.scope(), -1, "spec " + item);
    }

    /** How notes name it: {@code "fault #4, spec lost-write=0.001"}. */
    String label() {
        return "fault #" + id + ", spec " + item;
    }
}
