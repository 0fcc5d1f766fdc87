package io.staleguard.device.sim;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * The storage faults a {@link FaultInjector} injects, each with the word a {@link FaultSpec} names it by.
 * What each means on Linux, and what catches a program that mishandles it, is on each constant.
 */
@API(status = EXPERIMENTAL, since = "0.2")
public enum FaultKind {

    /**
     * An fsync (a channel's {@code force}, a device {@code flush()}) fails with
     * {@code IOException("Input/output error")}: the writeback of dirty pages failed, or the device
     * FLUSH did. Linux then marks the pages clean, so a retried fsync succeeds with nothing to write.
     */
    FSYNC_ERROR("fsync-error"),

    /**
     * A latent sector error: reads of the block fail with {@code IOException("Input/output error")}
     * until a write lands on it (dm-dust's bad-block list). A read that starts before the bad block
     * is cut short there.
     */
    READ_ERROR("read-error"),

    /** A write fails with {@code IOException("Input/output error")}; nothing of it moves. */
    WRITE_ERROR("write-error"),

    /**
     * A write moves some of its bytes and returns their count (as {@code write(2)} does); its
     * continuation by the same caller fails with {@code IOException("Input/output error")}.
     */
    PARTIAL_WRITE("partial-write"),

    /**
     * The device runs out of space: a write crossing the budget is cut at it, the next write fails
     * with {@code IOException("No space left on device")}.
     */
    NO_SPACE("enospc"),

    /** A write is acknowledged and never lands (dm-flakey's {@code drop_writes}). */
    LOST_WRITE("lost-write"),

    /** A write lands at another block, with the protection information of the block it was addressed to. */
    MISDIRECTED_WRITE("misdirect"),

    /** A bit of the media flips (bit rot); the protection information stays as written. */
    BIT_FLIP("bitrot");

    private final String word;

    FaultKind(String word) {
        this.word = word;
    }

    /** The kind's word in a fault spec: {@code "lost-write"}. */
    public String inWords() {
        return word;
    }

    /**
     * The kind a spec word names, ignoring case ({@code "lost-write"}, {@code "LOST_WRITE"}).
     *
     * @throws IllegalArgumentException naming the word and the known kinds
     */
    public static FaultKind parse(String word) {
        String w = word.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (FaultKind k : values()) {
            if (k.word.equals(w) || k.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(w)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + word.trim() + "'; known: " + known());
    }

    /** The words of every kind, comma-separated, for messages. */
    static String known() {
        return Arrays.stream(values()).map(FaultKind::inWords).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return word;
    }
}
