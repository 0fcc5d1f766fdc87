package io.staleguard.device.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.IoCaller;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShortTransferTrackerTest {

    private static final int BS = 512;

    /**
     * A channel over a byte array that transfers at most {@code maxPerCall} bytes per call, like a
     * FileChannel may, and reports every call to the tracker as a backend front end does.
     */
    private static final class ShortChannel {
        final byte[] media;
        final long size;
        final int maxPerCall;
        final ViolationRecorder recorder = new ViolationRecorder();
        final ShortTransferTracker tracker;
        final IoCaller caller;
        long position;

        ShortChannel(int capacity, long size, int maxPerCall) {
            this.media = new byte[capacity];
            this.size = size;
            this.maxPerCall = maxPerCall;
            this.tracker = new ShortTransferTracker(BS, recorder, new OperationLog(), this::readMedia);
            this.caller = IoCaller.newCaller("FileChannel#test", true);
        }

        void readMedia(long offset, ByteBuffer dst) {
            while (dst.hasRemaining()) {
                dst.put(offset < media.length ? media[(int) offset] : 0);
                offset++;
            }
        }

        int read(ByteBuffer dst, long offset) {
            return read(dst, offset, caller);
        }

        int read(ByteBuffer dst, long offset, IoCaller who) {
            tracker.beforeRead(who, offset);
            int requested = dst.remaining();
            if (offset >= size) {
                tracker.afterRead(who, offset, requested, -1, true);
                return -1;
            }
            int n = (int) Math.min(Math.min(requested, maxPerCall), size - offset);
            dst.put(media, (int) offset, n);
            tracker.afterRead(who, offset, requested, n, offset + n >= size);
            return n;
        }

        /** Relative read at the channel position. */
        int read(ByteBuffer dst) {
            int n = read(dst, position, caller.relative());
            if (n > 0) {
                position += n;
            }
            return n;
        }

        /** Relative gathering write at the channel position. */
        long write(ByteBuffer... srcs) {
            long requested = 0;
            for (ByteBuffer b : srcs) {
                requested += b.remaining();
            }
            long offset = position;
            long n = 0;
            for (ByteBuffer b : srcs) {
                while (b.hasRemaining() && n < maxPerCall) {
                    media[(int) (offset + n)] = b.get();
                    n++;
                }
            }
            position += n;
            tracker.afterWrite(caller.relative(), offset, requested, n, srcs);
            return n;
        }

        List<Violation> force() {
            return tracker.flushed(caller);
        }
    }

    // ---- reads: KAFKA-4576 -------------------------------------------------------------------

    /** Kafka's bug: a short read of a batch header is taken as the end of the log. */
    private static boolean readHeaderAssumingFull(ShortChannel ch, long position, ByteBuffer header) {
        ch.read(header, position);
        return !header.hasRemaining(); // "no complete header: end of log"
    }

    /** The fix: loop until the buffer is full or end of data. */
    private static boolean readHeaderFully(ShortChannel ch, long position, ByteBuffer header) {
        while (header.hasRemaining()) {
            int n = ch.read(header, position + header.position());
            if (n < 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void shortReadTakenAsEndOfLogIsFlagged() {
        ShortChannel ch = new ShortChannel(8192, 8192, 10);
        ByteBuffer header = ByteBuffer.allocate(61);
        assertThat(readHeaderAssumingFull(ch, 1024, header)).isFalse();
        // the log reader moves on to the next segment
        ch.read(ByteBuffer.allocate(4), 0);
        List<Violation> found = ch.recorder.all();
        assertThat(found).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.SHORT_TRANSFER);
            assertThat(v.offset()).isEqualTo(1034);
            assertThat(v.length()).isEqualTo(51);
            assertThat(v.lba()).isEqualTo(2);
            assertThat(v.expected()).isEqualTo("a read continuing at 1034");
            assertThat(v.actual()).isEqualTo("next read at 0");
            assertThat(v.detail()).contains("FileChannel#test").contains("KAFKA-4576");
            assertThat(v.thread()).isEqualTo(Thread.currentThread().getName());
        });
    }

    @Test
    void shortReadLeftPendingIsFlaggedAtFinishAndAtClose() {
        ShortChannel ch = new ShortChannel(8192, 8192, 10);
        readHeaderAssumingFull(ch, 0, ByteBuffer.allocate(61));
        assertThat(ch.tracker.pending()).isEqualTo(1);
        assertThat(ch.tracker.finish()).singleElement()
                .satisfies(v -> assertThat(v.actual()).isEqualTo("end of test"));
        readHeaderAssumingFull(ch, 0, ByteBuffer.allocate(61));
        assertThat(ch.tracker.closed(ch.caller)).singleElement()
                .satisfies(v -> assertThat(v.actual()).isEqualTo("channel FileChannel#test closed"));
        assertThat(ch.recorder.count(ViolationKind.SHORT_TRANSFER)).isEqualTo(2);
        assertThat(ch.tracker.pending()).isZero();
    }

    @Test
    void loopUntilDoneIsClean() {
        ShortChannel ch = new ShortChannel(8192, 8192, 10);
        assertThat(readHeaderFully(ch, 1024, ByteBuffer.allocate(61))).isTrue();
        ch.read(ByteBuffer.allocate(4), 0);
        assertThat(ch.tracker.finish()).isEmpty();
        assertThat(ch.recorder.total()).isZero();
    }

    @Test
    void relativeStreamCopyIsNeverFlagged() {
        ShortChannel ch = new ShortChannel(8192, 5000, 333);
        assertThat(copyUntilEndOfData(ch, 1000)).isEqualTo(5000);
        // even an abandoned relative read is not the caller's promise of an offset
        ch.position = 0;
        ch.read(ByteBuffer.allocate(1000));
        assertThat(ch.tracker.finish()).isEmpty();
        assertThat(ch.recorder.total()).isZero();
    }

    /** Relative reads of {@code chunk} bytes until the channel says end of data; returns the bytes copied. */
    private static long copyUntilEndOfData(ShortChannel ch, int chunk) {
        ByteBuffer buf = ByteBuffer.allocate(chunk);
        long copied = 0;
        int n;
        while ((n = ch.read(buf)) >= 0) {
            copied += n;
            buf.clear();
        }
        return copied;
    }

    /** One relative read per chunk; a short chunk is taken as the last one. */
    private static long sendByChunks(ShortChannel ch, int chunk) {
        ByteBuffer buf = ByteBuffer.allocate(chunk);
        long sent = 0;
        int n;
        while ((n = ch.read(buf)) == chunk) {
            sent += n;
            buf.clear();
        }
        return sent + Math.max(n, 0);
    }

    @Test
    void aShortRelativeChunkTakenAsTheLastIsFlaggedAtClose() {
        ShortChannel ch = new ShortChannel(8192, 5000, 700);
        assertThat(sendByChunks(ch, 1000)).isEqualTo(700);
        assertThat(ch.tracker.closed(ch.caller)).singleElement()
                .satisfies(v -> assertThat(v.kind()).isEqualTo(ViolationKind.SHORT_TRANSFER));
    }

    @Test
    void aShortRelativeChunkTakenAsTheLastIsFlaggedAtForce() {
        ShortChannel ch = new ShortChannel(8192, 5000, 700);
        sendByChunks(ch, 1000);
        assertThat(ch.tracker.flushed(ch.caller)).hasSize(1);
        assertThat(ch.recorder.count(ViolationKind.SHORT_TRANSFER)).isEqualTo(1);
    }

    @Test
    void aRelativeLoopReadingUntilEndOfDataIsCleanAtClose() {
        ShortChannel ch = new ShortChannel(8192, 5000, 700);
        assertThat(copyUntilEndOfData(ch, 1000)).isEqualTo(5000);
        assertThat(ch.tracker.closed(ch.caller)).isEmpty();
        assertThat(ch.recorder.total()).isZero();
    }

    @Test
    void shortReadAtEndOfDataIsClean() {
        ShortChannel ch = new ShortChannel(8192, 1030, 4096);
        ByteBuffer header = ByteBuffer.allocate(61);
        assertThat(readHeaderAssumingFull(ch, 1000, header)).isFalse(); // only 30 bytes exist
        ch.read(ByteBuffer.allocate(4), 0);
        assertThat(ch.tracker.finish()).isEmpty();
        assertThat(ch.recorder.total()).isZero();
    }

    @Test
    void callersAreTrackedSeparately() {
        ShortChannel ch = new ShortChannel(8192, 8192, 10);
        IoCaller other = IoCaller.newCaller("FileChannel#other", true);
        ByteBuffer header = ByteBuffer.allocate(20);
        ch.read(header, 100); // short, pending for ch.caller
        ch.read(ByteBuffer.allocate(4), 4000, other); // another channel: no effect
        ch.read(header, 110); // continues
        assertThat(ch.tracker.finish()).isEmpty();
        // the same channel on another thread is another caller too
        ch.read(ByteBuffer.allocate(20), 200);
        ch.tracker.beforeRead(ch.caller, "other-thread", 0);
        assertThat(ch.tracker.pending()).isEqualTo(1);
        assertThat(ch.tracker.finish()).hasSize(1);
    }

    // ---- writes: GEODE-2398 ------------------------------------------------------------------

    private static ByteBuffer[] record(int tag, int headerLen, int bodyLen) {
        ByteBuffer header = ByteBuffer.allocate(headerLen);
        ByteBuffer body = ByteBuffer.allocate(bodyLen);
        for (int i = 0; i < headerLen; i++) {
            header.put(i, (byte) (tag + i));
        }
        for (int i = 0; i < bodyLen; i++) {
            body.put(i, (byte) (tag * 3 + i * 5 + 1));
        }
        return new ByteBuffer[] {header, body};
    }

    @Test
    void ignoredShortGatheringWriteIsFlaggedAtForce() {
        ShortChannel ch = new ShortChannel(8192, 8192, 600);
        ch.write(record(1, 16, 1000)); // short: 600 of 1016; the return value is ignored
        ch.write(record(2, 16, 1000)); // GEODE-2398: the next record overwrites the lost tail (and is short too)
        List<Violation> found = ch.force();
        assertThat(found).hasSize(2);
        Violation first = found.get(0);
        assertThat(first.kind()).isEqualTo(ViolationKind.SHORT_TRANSFER);
        assertThat(first.offset()).isEqualTo(600);
        assertThat(first.length()).isEqualTo(416);
        assertThat(first.lba()).isEqualTo(1);
        assertThat(first.firstDiffOffset()).isEqualTo(600); // record 2's header now sits there
        assertThat(first.expected()).contains("416 bytes").contains("force of FileChannel#test");
        assertThat(first.detail()).contains("GEODE-2398").contains("transferred 600");
        assertThat(ch.recorder.count(ViolationKind.SHORT_TRANSFER)).isEqualTo(2);
    }

    @Test
    void retriedTailIsClean() {
        ShortChannel ch = new ShortChannel(8192, 8192, 600);
        for (int r = 1; r <= 3; r++) {
            ByteBuffer[] srcs = record(r, 16, 1000);
            while (srcs[0].hasRemaining() || srcs[1].hasRemaining()) {
                ch.write(srcs);
            }
        }
        assertThat(ch.force()).isEmpty();
        assertThat(ch.tracker.finish()).isEmpty();
        assertThat(ch.recorder.total()).isZero();
    }

    @Test
    void shortWriteIsCheckedAtCloseAndFinishToo() {
        ShortChannel ch = new ShortChannel(8192, 8192, 600);
        ch.write(record(1, 16, 1000));
        assertThat(ch.tracker.pending()).isEqualTo(1);
        assertThat(ch.tracker.closed(IoCaller.newCaller("unrelated", true))).isEmpty();
        assertThat(ch.tracker.closed(ch.caller)).hasSize(1);
        ch.write(record(1, 16, 1000));
        assertThat(ch.tracker.finish()).singleElement()
                .satisfies(v -> assertThat(v.expected()).contains("end of test"));
    }

    @Test
    void largeTailsAreComparedByCrc() {
        int big = ShortTransferTracker.COPY_LIMIT * 2;
        ShortChannel ch = new ShortChannel(big * 2, big * 2, 1000);
        ByteBuffer[] srcs = record(4, 16, big);
        ch.write(srcs);
        ch.write(srcs); // continues: 1000 more bytes, the rest still missing
        assertThat(ch.tracker.pending()).isEqualTo(2);
        assertThat(ch.tracker.flushed()).hasSize(2)
                .allSatisfy(v -> assertThat(v.firstDiffOffset()).isEqualTo(-1));
        ByteBuffer[] whole = record(5, 16, big);
        while (whole[0].hasRemaining() || whole[1].hasRemaining()) {
            ch.write(whole);
        }
        assertThat(ch.tracker.flushed()).isEmpty();
    }

    @Test
    void tooManyPendingWritesAreCheckedEarly() {
        ViolationRecorder rec = new ViolationRecorder();
        byte[] media = new byte[4096];
        ShortTransferTracker t = new ShortTransferTracker(BS, rec, null,
                (o, d) -> d.put(media, (int) o, d.remaining()), 2);
        IoCaller c = IoCaller.newCaller("c", true);
        for (int i = 0; i < 3; i++) {
            t.afterWrite(c, i * 100, 100, 50, ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                    11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33,
                    34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50}));
        }
        assertThat(t.pending()).isEqualTo(2);
        assertThat(rec.count(ViolationKind.SHORT_TRANSFER)).isEqualTo(1);
        assertThat(rec.all().get(0).offset()).isEqualTo(50);
    }

    @Test
    void tailThatLandsBeforeTheFlushIsResolvedEvenIfOverwrittenLater() {
        ViolationRecorder rec = new ViolationRecorder();
        byte[] media = new byte[4096];
        ShortTransferTracker t = new ShortTransferTracker(BS, rec, null,
                (o, d) -> d.put(media, (int) o, d.remaining()));
        IoCaller c = IoCaller.newCaller("wal", true);
        byte[] record = new byte[100];
        for (int i = 0; i < 100; i++) {
            record[i] = (byte) (i + 1);
        }
        t.afterWrite(c, 0, 100, 60, ByteBuffer.wrap(record, 60, 40));
        t.landed(60, ByteBuffer.wrap(record, 60, 40)); // the retried tail lands
        assertThat(t.pending()).isZero();
        t.landed(60, ByteBuffer.wrap(new byte[40])); // a later record overwrites it: not a lost tail
        assertThat(t.flushed()).isEmpty();
        // the twin: a different record lands where the tail belongs, and nothing else
        t.afterWrite(c, 0, 100, 60, ByteBuffer.wrap(record, 60, 40));
        t.landed(60, ByteBuffer.wrap(new byte[40]));
        assertThat(t.pending()).isEqualTo(1);
        assertThat(t.flushed()).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.SHORT_TRANSFER);
            assertThat(v.offset()).isEqualTo(60);
            assertThat(v.firstDiffOffset()).isEqualTo(60);
        });
    }

    @Test
    void flushByOneThreadChecksOnlyThatThreadsShortWrites() {
        ViolationRecorder rec = new ViolationRecorder();
        ShortTransferTracker t = new ShortTransferTracker(BS, rec, null, (o, d) -> d.position(d.limit()));
        IoCaller c = IoCaller.newCaller("log", true);
        t.afterWrite(c, "appender-1", 0, 100, 50, ByteBuffer.wrap(new byte[50]).put(0, (byte) 1));
        t.afterWrite(c, "appender-2", 512, 100, 50, ByteBuffer.wrap(new byte[50]).put(0, (byte) 1));
        assertThat(t.flushedBy(c, "appender-1")).singleElement()
                .satisfies(v -> assertThat(v.thread()).isEqualTo("appender-1"));
        assertThat(t.pending()).isEqualTo(1);
        assertThat(t.finish()).singleElement().satisfies(v -> assertThat(v.thread()).isEqualTo("appender-2"));
    }

    @Test
    void asyncShortReadIsNotFlaggedByReadsAlreadyInFlightButIsByTheEnd() {
        ViolationRecorder rec = new ViolationRecorder();
        ShortTransferTracker t = new ShortTransferTracker(BS, rec, null, (o, d) -> { });
        IoCaller c = IoCaller.newCaller("aio", true);
        // four extents submitted at once; the first completes short (the 003 seed)
        t.beforeRead(c, "app", 0);
        t.beforeRead(c, "app", 4096);
        t.afterRead(c, "app", 0, 4096, 1024, false, true);
        t.beforeRead(c, "app", 8192); // submitted before the short completion was seen
        assertThat(t.pending()).isEqualTo(1);
        t.beforeRead(c, "app", 1024); // the correct program resubmits the remainder
        assertThat(t.pending()).isZero();
        assertThat(t.finish()).isEmpty();
        // the buggy twin takes the short extent as complete and never continues it
        t.afterRead(c, "app", 0, 4096, 1024, false, true);
        t.beforeRead(c, "app", 12288);
        assertThat(t.finish()).singleElement().satisfies(v -> {
            assertThat(v.offset()).isEqualTo(1024);
            assertThat(v.length()).isEqualTo(3072);
            assertThat(v.actual()).isEqualTo("end of test");
        });
    }

    @Test
    void badArgumentsAreNamed() {
        ShortTransferTracker t = new ShortTransferTracker(BS, new ViolationRecorder(), null, (o, d) -> { });
        assertThatThrownBy(() -> t.afterWrite(IoCaller.DEVICE, 0, 100, 10, ByteBuffer.allocate(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hold 5")
                .hasMessageContaining("left 90");
        assertThatThrownBy(() -> new ShortTransferTracker(0, new ViolationRecorder(), null, (o, d) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
    }
}
