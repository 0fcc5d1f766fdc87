package io.staleguard.device.oracle;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What a block holds before the first write the oracle sees, i.e. what a read may return when no
 * write to the block completed before it started.
 *
 * <ul>
 *   <li>{@link #zeros()} (the default): fresh devices, new sparse files, holes.</li>
 *   <li>{@link #fromMedia(MediaReader)}: a pre-existing file or image. The oracle reads a block's
 *       original bytes from the media the first time it touches that block (its first landing
 *       write or its first checked read), which is before any write it tracks has landed there,
 *       provided the backend calls {@link HistoryOracle#writeLanded} no later than the moment the
 *       bytes become visible.</li>
 *   <li>{@link #unknown()}: a pre-existing file whose content is not worth reading up front. The
 *       first read of a block that no completed write has touched adopts whatever it returns as
 *       the initial content (so that read is never flagged, and later stale returns of that
 *       content are).</li>
 * </ul>
 */
@API(status = STABLE, since = "0.1")
public final class InitialContent {

    /** The kinds of initial-content policy. */
    public enum Policy {
        /** Every block starts as zeros. */
        ZEROS,
        /** A block's initial content is read from the media on first touch. */
        FROM_MEDIA,
        /** A block's initial content is adopted from its first read. */
        UNKNOWN
    }

    private static final InitialContent ZEROS = new InitialContent(Policy.ZEROS, null);
    private static final InitialContent UNKNOWN = new InitialContent(Policy.UNKNOWN, null);

    private final Policy policy;
    private final MediaReader media;

    private InitialContent(Policy policy, MediaReader media) {
        this.policy = policy;
        this.media = media;
    }

    /** Every block starts as zeros. */
    public static InitialContent zeros() {
        return ZEROS;
    }

    /** Initial content adopted from each block's first read. */
    public static InitialContent unknown() {
        return UNKNOWN;
    }

    /** Initial content read from the media when a block is first touched. */
    public static InitialContent fromMedia(MediaReader media) {
        return new InitialContent(Policy.FROM_MEDIA, Objects.requireNonNull(media, "media"));
    }

    /** The policy. */
    public Policy policy() {
        return policy;
    }

    /** The media reader for {@link Policy#FROM_MEDIA}, else null. */
    public MediaReader media() {
        return media;
    }

    @Override
    public String toString() {
        return policy.name().toLowerCase(java.util.Locale.ROOT);
    }
}
