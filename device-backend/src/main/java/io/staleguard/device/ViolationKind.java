package io.staleguard.device;

import static org.apiguardian.api.API.Status.STABLE;

import io.staleguard.device.integrity.TagMismatch;
import org.apiguardian.api.API;

/**
 * The classes of I/O consistency bug that Staleguard detects.
 *
 * <p>The first group is reported by the history oracle, the second by the integrity (protection
 * information) layer, the third by the short-transfer tracker, the fourth by crash exploration of the simulated
 * filesystem, the last by the position tracker of the channels.
 */
@API(status = STABLE, since = "0.1")
public enum ViolationKind {
    /** A read returned a version that had been superseded before the read began. */
    STALE_READ("stale-read"),
    /** A read returned sectors of versions that never coexisted on the media. */
    TORN_READ("torn-read"),
    /** A read returned content that matches no version ever written (nor the initial content). */
    CORRUPT_READ("corrupt-read"),
    /** The data that landed does not match the guard computed when the write was submitted. */
    GUARD_TAG("guard-tag"),
    /** The reference tag that landed is not the one expected for the block (misdirected I/O). */
    REF_TAG("ref-tag"),
    /** The application tag that landed is not the one submitted. */
    APP_TAG("app-tag"),
    /** A read or write transferred fewer bytes than asked and the caller did not continue it. */
    SHORT_TRANSFER("short-transfer"),
    /**
     * Data changed through a path the kernel documents as unsupported (for example mmap stores
     * racing {@code O_DIRECT} writes to the same range). Reported for information; not a bug in
     * the platform and not failing by default.
     */
    UNSUPPORTED_MIXING("unsupported-mixing"),
    /**
     * A reachable crash state loses something the program acknowledged as durable: a file, its directory entry,
     * or a range of it, claimed durable before the crash point and not changed by the program since.
     */
    DURABILITY("durability"),
    /** The program's recovery code threw, or its assertion failed, on a reachable crash state. */
    CRASH_RECOVERY("crash-recovery"),
    /**
     * A relative read or write used a channel's position that another thread had set or moved after this thread
     * last set it (by {@code position(x)}) or learned it (by {@code position()}): the bytes come from, or go to,
     * the wrong place although each of them is a valid version. Since 0.2.
     */
    POSITION_RACE("position-race");

    private final String words;

    ViolationKind(String words) {
        this.words = words;
    }

    /** The kind in words, as build logs print it ({@code "stale-read"}, {@code "guard-tag"}). */
    public String inWords() {
        return words;
    }

    /** Whether this kind fails a test or a build unless configured otherwise. */
    public boolean failsByDefault() {
        return this != UNSUPPORTED_MIXING;
    }

    /**
     * The kind a failed protection-information check is reported as. The integrity layer names
     * its checks itself, so that it does not depend on this vocabulary; the mapping lives here.
     */
    public static ViolationKind of(TagMismatch.Kind tag) {
        return switch (tag) {
            case GUARD_TAG -> GUARD_TAG;
            case APP_TAG -> APP_TAG;
            case REF_TAG -> REF_TAG;
        };
    }

    /** Parses either the enum name or its words, case-insensitively. */
    public static ViolationKind parse(String text) {
        String t = text.trim();
        for (ViolationKind k : values()) {
            if (k.name().equalsIgnoreCase(t) || k.words.equalsIgnoreCase(t)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown violation kind '" + text + "' (expected one of "
                + java.util.Arrays.toString(values()) + ")");
    }
}
