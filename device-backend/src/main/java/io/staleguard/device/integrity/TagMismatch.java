package io.staleguard.device.integrity;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The first protection-information check that failed for a range of protection intervals.
 *
 * <p>The integrity layer names its own checks ({@link Kind}) so that it depends on nothing above
 * it; {@code io.staleguard.device.ViolationKind.of(Kind)} gives the violation kind a report uses.
 *
 * @param kind          which tag failed: the guard, the application tag or the reference tag
 * @param intervalIndex index of the failing interval within the checked range (0 = the first)
 * @param lba           the LBA of that interval, in protection-interval units ({@code firstLba + intervalIndex})
 * @param expected      GUARD_TAG: the guard stored in the tuple (computed at submission); APP_TAG: the
 *                      expected application tag (unmasked); REF_TAG: the reference tag the PI type demands
 * @param actual        GUARD_TAG: the guard of the data as verified; APP_TAG/REF_TAG: the tag in the tuple
 *                      (all zero-extended)
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record TagMismatch(Kind kind, int intervalIndex, long lba, long expected, long actual) {

    /**
     * The tag of a protection-information tuple that failed. The constants have the names of the
     * violation kinds they are reported as.
     */
    public enum Kind {
        /** The guard (CRC or IP checksum) of the data does not match the one computed at submission. */
        GUARD_TAG("guard-tag"),
        /** The application tag is not the one submitted. */
        APP_TAG("app-tag"),
        /** The reference tag is not the one the PI type demands for the block (misdirected I/O). */
        REF_TAG("ref-tag");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        /** The tag in words, as reports print it ({@code "guard-tag"}). */
        public String inWords() {
            return words;
        }
    }

    public TagMismatch {
        Objects.requireNonNull(kind, "kind");
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
