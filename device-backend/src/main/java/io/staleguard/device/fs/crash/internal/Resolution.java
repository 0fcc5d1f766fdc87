package io.staleguard.device.fs.crash.internal;

import java.util.Map;

/**
 * One crash state as a model resolved it: the fate of every record before the point (index {@code seq - 1}; null
 * for records without an effect on the image) and the size every file with a size change ends at.
 */
public record Resolution(Fate[] fates, Map<Long, Long> sizes) {

    /** The fate of record {@code seq}, or null. */
    public Fate of(long seq) {
        return fates[(int) seq - 1];
    }
}
