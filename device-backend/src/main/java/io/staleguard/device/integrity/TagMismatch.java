package io.staleguard.device.integrity;

import io.staleguard.device.ViolationKind;
import java.util.Objects;

/**
 * The first protection-information check that failed for a range of protection intervals.
 *
 * @param kind          {@link ViolationKind#GUARD_TAG}, {@link ViolationKind#APP_TAG} or {@link ViolationKind#REF_TAG}
 * @param intervalIndex index of the failing interval within the checked range (0 = the first)
 * @param lba           the LBA of that interval, in protection-interval units ({@code firstLba + intervalIndex})
 * @param expected      GUARD_TAG: the guard stored in the tuple (computed at submission); APP_TAG: the
 *                      expected application tag (unmasked); REF_TAG: the reference tag the PI type demands
 * @param actual        GUARD_TAG: the guard of the data as verified; APP_TAG/REF_TAG: the tag in the tuple
 *                      (all zero-extended)
 */
public record TagMismatch(ViolationKind kind, int intervalIndex, long lba, long expected, long actual) {

    public TagMismatch {
        Objects.requireNonNull(kind, "kind");
        if (kind != ViolationKind.GUARD_TAG && kind != ViolationKind.APP_TAG && kind != ViolationKind.REF_TAG) {
            throw new IllegalArgumentException("not a tag violation kind: " + kind);
        }
    }

    /** {@code expected} in hex, e.g. {@code "0xd0db"}. */
    public String expectedHex() {
        return "0x" + Long.toHexString(expected);
    }

    /** {@code actual} in hex. */
    public String actualHex() {
        return "0x" + Long.toHexString(actual);
    }

    /** One line: {@code "guard-tag mismatch at interval 3 (lba 103): expected 0xd0db, actual 0x1234"}. */
    public String describe() {
        return kind.inWords() + " mismatch at interval " + intervalIndex + " (lba " + lba + "): expected "
                + expectedHex() + ", actual " + actualHex();
    }
}
