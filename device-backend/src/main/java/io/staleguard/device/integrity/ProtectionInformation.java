package io.staleguard.device.integrity;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Generates and verifies protection information (PI) tuples for a run of protection intervals,
 * as the Linux block layer's {@code t10_pi_generate}/{@code t10_pi_verify} and their NVMe
 * counterparts do. Tuple layouts are described in {@link PiTuple}.
 *
 * <h2>Reference tags</h2>
 * For interval {@code i} of a run (0-based), with {@code w} = 32 bits (48 for CRC-64/NVME):
 * <ul>
 *   <li>Type 1: ref tag = low {@code w} bits of {@code firstLba + i} (LBA in interval units);</li>
 *   <li>Type 2: ref tag = low {@code w} bits of {@code initialRefTag + i};</li>
 *   <li>Type 3: generation stores low {@code w} bits of {@code initialRefTag + i} (the tag belongs
 *       to the application); verification never checks it.</li>
 * </ul>
 *
 * <h2>Escapes</h2>
 * An application tag of 0xFFFF disables every check of that interval for Types 1 and 2. For Type
 * 3 the interval is skipped only when the application tag is 0xFFFF <em>and</em> the reference
 * tag is all ones (0xFFFFFFFF, or 0xFFFFFFFFFFFF for the 48-bit tag).
 *
 * <h2>Check order</h2>
 * Per interval, in order: guard, then application tag (compared under {@code appTagMask}; mask 0
 * means not checked), then reference tag. {@link #verify} reports the first failure. For a guard
 * mismatch, <em>expected</em> is the guard stored in the tuple (computed when the data was
 * submitted) and <em>actual</em> the guard of the data as it is now; for tag mismatches,
 * <em>expected</em> is what the context demands and <em>actual</em> what the tuple holds.
 *
 * <p>The protection interval must be 512 or 4096 bytes. Format {@link ProtectionFormat#NONE}
 * generates nothing and verifies everything. All methods are stateless and thread-safe; none
 * changes a buffer's position, limit or order.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ProtectionInformation {

    private ProtectionInformation() {
    }

    /**
     * Writes one tuple per protection interval of {@code data[position, limit)} to
     * {@code tuples[tuplesOff...]}.
     *
     * @param f             the format; {@link ProtectionFormat#NONE} writes nothing
     * @param data          n * interval bytes between position and limit (position is not changed)
     * @param interval      the protection interval, 512 or 4096
     * @param firstLba      LBA (interval units) of the first interval, for Type 1 ref tags
     * @param initialRefTag the first reference tag for Types 2 and 3
     * @param appTag        the application tag stored in every tuple, 0..0xFFFF
     * @param tuples        destination, needs {@code tuplesOff + n * f.tupleSize()} bytes
     * @param tuplesOff     offset of the first tuple in {@code tuples}
     * @throws IllegalArgumentException naming the bad value for a bad interval, data length,
     *                                  application tag or a too short tuples array
     */
    public static void generate(ProtectionFormat f, ByteBuffer data, int interval, long firstLba,
                                long initialRefTag, int appTag, byte[] tuples, int tuplesOff) {
        int n = intervals(f, data, interval, tuples, tuplesOff);
        checkTag("application tag", appTag);
        if (!f.enabled()) {
            return;
        }
        GuardAlgorithm g = f.guard();
        int size = g.tupleSize();
        long refMask = PiTuple.refTagMask(g);
        int base = data.position();
        for (int i = 0; i < n; i++) {
            long guard = guard(g, data, base + i * interval, interval);
            long ref = (f.type() == PiType.TYPE1 ? firstLba + i : initialRefTag + i) & refMask;
            PiTuple.encode(g, tuples, tuplesOff + i * size, guard, appTag, ref);
        }
    }

    /**
     * As {@link #generate}, with every guard deferred: the tags are written as {@code generate}
     * writes them, the guard field is zero, and {@code fingerprints[fpOff + i]} receives the CRC-32C
     * of interval {@code i} (0 to 0xFFFFFFFF), what {@link PiStore} keeps instead of the guard until
     * the guard is needed. CRC-32C is a hardware instruction, about twenty times cheaper than the
     * table-driven CRC-16/T10-DIF.
     *
     * @throws IllegalArgumentException as for {@link #generate}, or for a too short fingerprint array
     */
    public static void generateDeferred(ProtectionFormat f, ByteBuffer data, int interval, long firstLba,
                                        long initialRefTag, int appTag, byte[] tuples, int tuplesOff,
                                        long[] fingerprints, int fpOff) {
        int n = intervals(f, data, interval, tuples, tuplesOff);
        checkTag("application tag", appTag);
        Objects.requireNonNull(fingerprints, "fingerprints");
        if (fpOff < 0 || fpOff > fingerprints.length - n) {
            throw new IllegalArgumentException("fingerprint array of length " + fingerprints.length + " at offset "
                    + fpOff + " is too short for " + n + " intervals");
        }
        if (!f.enabled()) {
            return;
        }
        int base = data.position();
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        for (int i = 0; i < n; i++) {
            crc.reset();
            int from = base + i * interval;
            if (data.hasArray()) {
                crc.update(data.array(), data.arrayOffset() + from, interval);
            } else {
                crc.update(data.duplicate().limit(from + interval).position(from));
            }
            fingerprints[fpOff + i] = crc.getValue();
        }
        encodeTags(f, n, firstLba, initialRefTag, appTag, tuples, tuplesOff);
    }

    /**
     * Writes the tags of {@code n} tuples, as {@link #generateDeferred} does, for a caller that has the
     * intervals' CRC-32C fingerprints already: the application tag and the reference tags (Type 1 counting
     * from {@code firstLba}, Types 2 and 3 from {@code initialRefTag}), with a guard of 0 that the store
     * replaces by the fingerprint.
     *
     * @throws IllegalArgumentException naming the bad value for a negative {@code n}, an application tag
     *                                  outside 0..0xFFFF or a too short tuples array
     */
    public static void deferredTags(ProtectionFormat f, int n, long firstLba, long initialRefTag, int appTag,
                                    byte[] tuples, int tuplesOff) {
        Objects.requireNonNull(f, "format");
        Objects.requireNonNull(tuples, "tuples");
        if (n < 0) {
            throw new IllegalArgumentException("number of tuples " + n + " is negative");
        }
        checkTag("application tag", appTag);
        long need = (long) n * f.tupleSize();
        if (tuplesOff < 0 || tuplesOff > tuples.length || tuples.length - tuplesOff < need) {
            throw new IllegalArgumentException("tuples array of length " + tuples.length + " at offset " + tuplesOff
                    + " is too short for " + n + " tuples of " + f.tupleSize() + " bytes (needs " + need + ")");
        }
        if (f.enabled()) {
            encodeTags(f, n, firstLba, initialRefTag, appTag, tuples, tuplesOff);
        }
    }

    private static void encodeTags(ProtectionFormat f, int n, long firstLba, long initialRefTag, int appTag,
                                   byte[] tuples, int tuplesOff) {
        GuardAlgorithm g = f.guard();
        int size = g.tupleSize();
        long refMask = PiTuple.refTagMask(g);
        boolean type1 = f.type() == PiType.TYPE1;
        for (int i = 0; i < n; i++) {
            long ref = (type1 ? firstLba + i : initialRefTag + i) & refMask;
            PiTuple.encode(g, tuples, tuplesOff + i * size, 0, appTag, ref);
        }
    }

    /**
     * Checks the tuples against {@code data[position, limit)}.
     *
     * @param expectedAppTag the application tag expected, compared under {@code appTagMask}
     * @param appTagMask     bits of the application tag to compare; 0 disables the app-tag check
     * @return null when every interval passes (or is escaped), else the first mismatch
     * @throws IllegalArgumentException naming the bad value, as for {@link #generate}
     */
    public static TagMismatch verify(ProtectionFormat f, ByteBuffer data, int interval, long firstLba,
                                     long initialRefTag, byte[] tuples, int tuplesOff, int expectedAppTag,
                                     int appTagMask) {
        return verify(f, data, interval, firstLba, initialRefTag, tuples, tuplesOff, expectedAppTag, appTagMask,
                null, 0);
    }

    /**
     * As {@link #verify(ProtectionFormat, ByteBuffer, int, long, long, byte[], int, int, int)}, where an
     * interval whose entry in {@code confirmed[confOff...]} is not {@link PiStore#EXACT} has a deferred
     * guard that the caller confirmed: the interval's data has the CRC-32C its tuple's guard was
     * deferred with, so it is the data the guard stands for and passes the guard check; its tags are
     * checked as usual. Null {@code confirmed}: every guard is checked.
     */
    public static TagMismatch verify(ProtectionFormat f, ByteBuffer data, int interval, long firstLba,
                                     long initialRefTag, byte[] tuples, int tuplesOff, int expectedAppTag,
                                     int appTagMask, long[] confirmed, int confOff) {
        int n = intervals(f, data, interval, tuples, tuplesOff);
        if (confirmed != null) {
            Objects.checkFromIndexSize(confOff, n, confirmed.length);
        }
        checkTag("expected application tag", expectedAppTag);
        checkTag("application tag mask", appTagMask);
        if (!f.enabled()) {
            return null;
        }
        GuardAlgorithm g = f.guard();
        PiType type = f.type();
        int size = g.tupleSize();
        long refMask = PiTuple.refTagMask(g);
        int base = data.position();
        for (int i = 0; i < n; i++) {
            int t = tuplesOff + i * size;
            int app = PiTuple.appTag(g, tuples, t);
            long ref = PiTuple.refTag(g, tuples, t);
            if (app == PiTuple.APP_ESCAPE && (type != PiType.TYPE3 || ref == refMask)) {
                continue;
            }
            long lba = firstLba + i;
            if (confirmed == null || confirmed[confOff + i] == PiStore.EXACT) {
                long stored = PiTuple.guard(g, tuples, t);
                long landed = guard(g, data, base + i * interval, interval);
                if (stored != landed) {
                    return new TagMismatch(TagMismatch.Kind.GUARD_TAG, i, lba, stored, landed);
                }
            }
            if ((app & appTagMask) != (expectedAppTag & appTagMask)) {
                return new TagMismatch(TagMismatch.Kind.APP_TAG, i, lba, expectedAppTag, app);
            }
            if (type != PiType.TYPE3) {
                long expectedRef = (type == PiType.TYPE1 ? lba : initialRefTag + i) & refMask;
                if (ref != expectedRef) {
                    return new TagMismatch(TagMismatch.Kind.REF_TAG, i, lba, expectedRef, ref);
                }
            }
        }
        return null;
    }

    /** Receives each failing interval of {@link #verifyEach}. */
    @FunctionalInterface
    public interface MismatchSink {
        /** One failing interval; {@code m.intervalIndex()} counts from the start of the checked range. */
        void mismatch(TagMismatch m);
    }

    /**
     * Checks every interval of {@code data[position, limit)} and hands each failing one to
     * {@code sink}, going on with the interval after it: the loop every detector that reports all
     * bad blocks of a range (not only the first) shares. Arguments as for {@link #verify}.
     *
     * @return the number of failing intervals
     */
    public static int verifyEach(ProtectionFormat f, ByteBuffer data, int interval, long firstLba,
                                 long initialRefTag, byte[] tuples, int tuplesOff, int expectedAppTag,
                                 int appTagMask, MismatchSink sink) {
        return verifyEach(f, data, interval, firstLba, initialRefTag, tuples, tuplesOff, expectedAppTag, appTagMask,
                null, 0, sink);
    }

    /** As {@link #verifyEach(ProtectionFormat, ByteBuffer, int, long, long, byte[], int, int, int, MismatchSink)}, with confirmed deferred guards as for {@link #verify(ProtectionFormat, ByteBuffer, int, long, long, byte[], int, int, int, long[], int)}. */
    public static int verifyEach(ProtectionFormat f, ByteBuffer data, int interval, long firstLba,
                                 long initialRefTag, byte[] tuples, int tuplesOff, int expectedAppTag,
                                 int appTagMask, long[] confirmed, int confOff, MismatchSink sink) {
        int n = intervals(f, data, interval, tuples, tuplesOff);
        int size = f.enabled() ? f.tupleSize() : 0;
        int base = data.position();
        int failed = 0;
        int i = 0;
        while (i < n) {
            ByteBuffer rest = data.duplicate().position(base + i * interval).limit(base + n * interval);
            TagMismatch m = verify(f, rest, interval, firstLba + i, initialRefTag + i, tuples, tuplesOff + i * size,
                    expectedAppTag, appTagMask, confirmed, confOff + i);
            if (m == null) {
                break;
            }
            TagMismatch absolute = new TagMismatch(m.kind(), i + m.intervalIndex(), m.lba(), m.expected(), m.actual());
            sink.mismatch(absolute);
            failed++;
            i = absolute.intervalIndex() + 1;
        }
        return failed;
    }

    /**
     * The guard of {@code data[off, off+len)} (absolute indexes) for format {@code f}, zero-extended:
     * 16 bits for CRC-16/T10-DIF and the IP checksum, 32 for CRC-32C, 64 for CRC-64/NVME.
     *
     * @throws IllegalArgumentException for {@link ProtectionFormat#NONE}, which has no guard
     */
    public static long guard(ProtectionFormat f, ByteBuffer data, int off, int len) {
        Objects.requireNonNull(f, "format");
        Objects.requireNonNull(data, "data");
        if (off < 0 || len < 0 || off > data.limit() - len) {
            throw new IllegalArgumentException("range [" + off + ", " + ((long) off + len)
                    + ") outside the buffer's limit " + data.limit());
        }
        if (!f.enabled()) {
            throw new IllegalArgumentException("protection format " + f.name() + " has no guard");
        }
        return guard(f.guard(), data, off, len);
    }

    /** Number of tuple bytes needed for {@code dataLength} bytes of data under {@code f}. */
    public static int tupleBytes(ProtectionFormat f, int dataLength, int interval) {
        checkInterval(interval);
        if (dataLength < 0 || dataLength % interval != 0) {
            throw new IllegalArgumentException("data length " + dataLength
                    + " is not a multiple of the protection interval " + interval);
        }
        return dataLength / interval * f.tupleSize();
    }

    private static long guard(GuardAlgorithm g, ByteBuffer data, int off, int len) {
        return switch (g) {
            case CRC16_T10DIF -> Crc16T10Dif.compute(data, off, len);
            case IP_CHECKSUM -> IpChecksum.compute(data, off, len);
            case CRC32C -> Crc32c.compute(data, off, len);
            case CRC64_NVME -> Crc64Nvme.compute(data, off, len);
            case NONE -> throw new IllegalArgumentException("guard algorithm NONE has no guard");
        };
    }

    private static int intervals(ProtectionFormat f, ByteBuffer data, int interval, byte[] tuples, int tuplesOff) {
        Objects.requireNonNull(f, "format");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(tuples, "tuples");
        checkInterval(interval);
        int len = data.remaining();
        if (len % interval != 0) {
            throw new IllegalArgumentException("data length " + len + " (position " + data.position() + ", limit "
                    + data.limit() + ") is not a multiple of the protection interval " + interval);
        }
        int n = len / interval;
        long need = (long) n * f.tupleSize();
        if (tuplesOff < 0 || tuplesOff > tuples.length || tuples.length - tuplesOff < need) {
            throw new IllegalArgumentException("tuples array of length " + tuples.length + " at offset " + tuplesOff
                    + " is too short for " + n + " tuples of " + f.tupleSize() + " bytes (needs " + need + ")");
        }
        return n;
    }

    private static void checkInterval(int interval) {
        if (interval != 512 && interval != 4096) {
            throw new IllegalArgumentException("protection interval " + interval + " is not 512 or 4096");
        }
    }

    private static void checkTag(String what, int tag) {
        if ((tag & ~0xFFFF) != 0) {
            throw new IllegalArgumentException(what + " 0x" + Integer.toHexString(tag) + " (" + tag
                    + ") is outside 0..0xFFFF");
        }
    }
}
