package io.staleguard.device.oracle;

import static io.staleguard.device.oracle.MemoryMedia.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.TimelineEvent;
import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HistoryOracleTest {

    private static final int BS = 4096;

    /** A read cache in front of the media; the buggy one forgets to invalidate on direct writes. */
    private static final class ReadCache {
        final MemoryMedia m;
        final boolean invalidateOnWrite;
        final Map<Long, byte[]> pages = new HashMap<>();

        ReadCache(MemoryMedia m, boolean invalidateOnWrite) {
            this.m = m;
            this.invalidateOnWrite = invalidateOnWrite;
        }

        List<Violation> read(long offset, String thread) {
            long token = m.oracle.readStarted(offset, BS, thread);
            byte[] page = pages.computeIfAbsent(offset, o -> m.raw(o, BS));
            return m.oracle.readCompleted(token, offset, ByteBuffer.wrap(page), thread);
        }

        long directWrite(long offset, byte[] data, String thread) {
            long id = m.write(offset, data, thread);
            if (invalidateOnWrite) {
                pages.remove(offset);
            }
            return id;
        }
    }

    @Test
    void staleReadFromAnUninvalidatedCacheNamesBothVersions() {
        MemoryMedia m = new MemoryMedia(BS, 16);
        long v1 = m.write(2 * BS, content(BS, 1), "writer-1");
        ReadCache cache = new ReadCache(m, false);
        assertThat(cache.read(2 * BS, "reader")).isEmpty();
        long v2 = cache.directWrite(2 * BS, content(BS, 2), "writer-1");

        List<Violation> found = cache.read(2 * BS, "reader");

        assertThat(found).hasSize(1);
        Violation v = found.get(0);
        assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
        assertThat(v.offset()).isEqualTo(2 * BS);
        assertThat(v.lba()).isEqualTo(2);
        assertThat(v.length()).isEqualTo(BS);
        assertThat(v.expected()).startsWith("v" + v2 + " (submitted t=").contains("completed t=")
                .contains("thread writer-1");
        assertThat(v.actual()).startsWith("v" + v1 + " (submitted t=");
        assertThat(v.thread()).isEqualTo("reader");
        assertThat(v.detail()).contains("superseded by v" + v2);
        assertThat(v.timeline()).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(TimelineEvent.Type.WRITE_COMPLETE);
            assertThat(e.writeId()).isEqualTo(v2);
        });
        assertThat(m.recorder.count(ViolationKind.STALE_READ)).isEqualTo(1);
        assertThat(m.recorder.all()).containsExactly(v);
    }

    @Test
    void invalidatingCacheTwinIsClean() {
        MemoryMedia m = new MemoryMedia(BS, 16);
        m.write(2 * BS, content(BS, 1), "writer-1");
        ReadCache cache = new ReadCache(m, true);
        assertThat(cache.read(2 * BS, "reader")).isEmpty();
        cache.directWrite(2 * BS, content(BS, 2), "writer-1");
        assertThat(cache.read(2 * BS, "reader")).isEmpty();
        assertThat(m.recorder.total()).isZero();
        assertThat(m.oracle.operations()).isEqualTo(4);
        assertThat(m.oracle.bytesRead()).isEqualTo(2 * BS);
        assertThat(m.oracle.bytesWritten()).isEqualTo(2 * BS);
    }

    @Test
    void writeOverlappingTheReadAllowsEitherVersion() {
        MemoryMedia m = new MemoryMedia(BS, 4);
        byte[] old = content(BS, 1);
        byte[] fresh = content(BS, 2);
        m.write(0, old, "w");
        long v2 = m.submit(0, BS, "w");
        long r1 = m.oracle.readStarted(0, BS, "r");
        assertThat(m.oracle.readCompleted(r1, 0, ByteBuffer.wrap(old), "r")).isEmpty(); // v2 not landed
        m.land(v2, 0, fresh);
        long r2 = m.oracle.readStarted(0, BS, "r");
        assertThat(m.oracle.readCompleted(r2, 0, ByteBuffer.wrap(fresh), "r")).isEmpty(); // in flight
        assertThat(m.oracle.readCompleted(r2, 0, ByteBuffer.wrap(old), "r")).isEmpty();
        m.complete(v2);
        // r2 started before v2 completed, so the old content is still admissible for it
        assertThat(m.oracle.readCompleted(r2, 0, ByteBuffer.wrap(old), "r")).isEmpty();
        assertThat(m.recorder.total()).isZero();
        // a read that starts after v2 completed may not return the old content
        long r3 = m.oracle.readStarted(0, BS, "r");
        assertThat(m.oracle.readCompleted(r3, 0, ByteBuffer.wrap(old), "r"))
                .singleElement().satisfies(v -> assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ));
    }

    @Test
    void concurrentWritesAreBothAdmissibleUntilALaterWriteSupersedesThem() {
        MemoryMedia m = new MemoryMedia(512, 4);
        byte[] a = content(512, 10);
        byte[] b = content(512, 11);
        long va = m.submit(512, 512, "wa");
        long vb = m.submit(512, 512, "wb");
        m.land(va, 512, a);
        m.land(vb, 512, b);
        m.complete(vb);
        m.complete(va);
        // neither was submitted after the other completed: both are admissible afterwards
        long r = m.oracle.readStarted(512, 512, "r");
        assertThat(m.oracle.readCompleted(r, 512, ByteBuffer.wrap(a), "r")).isEmpty();
        assertThat(m.oracle.readCompleted(r, 512, ByteBuffer.wrap(b), "r")).isEmpty();
        long vc = m.write(512, content(512, 12), "wc");
        long r2 = m.oracle.readStarted(512, 512, "r");
        List<Violation> found = m.oracle.readCompleted(r2, 512, ByteBuffer.wrap(a), "r");
        assertThat(found).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
            assertThat(v.lba()).isEqualTo(1);
            assertThat(v.expected()).startsWith("v" + vc + " ");
            assertThat(v.actual()).startsWith("v" + va + " ");
        });
    }

    @Test
    void aLongPoisonedPageIsStillNamedStaleUntilItIsTooOld() {
        MemoryMedia m = new MemoryMedia(BS, 2);
        long v1 = m.write(0, content(BS, 1), "w");
        for (int k = 2; k <= 9; k++) {
            m.write(0, content(BS, k), "w");
        }
        // v1 is now beyond the fully kept superseded versions (slots are pruned when full)
        assertThat(m.oracle.checkServed(0, ByteBuffer.wrap(content(BS, 1)))).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
            assertThat(v.actual()).isEqualTo("v" + v1 + " (an older version; only its content hash is kept)");
            assertThat(v.expected()).contains("thread w)");
        });
        for (int k = 10; k <= 40; k++) {
            m.write(0, content(BS, k), "w");
        }
        assertThat(m.oracle.checkServed(0, ByteBuffer.wrap(content(BS, 1)))).singleElement()
                .satisfies(v -> assertThat(v.kind()).isEqualTo(ViolationKind.CORRUPT_READ));
        assertThat(m.oracle.checkServed(0, ByteBuffer.wrap(content(BS, 40)))).isEmpty();
    }

    @Test
    void aVersionRememberedByHashIsAdmissibleToAReadThatStartedBeforeItWasSuperseded() {
        MemoryMedia m = new MemoryMedia(BS, 2);
        m.write(0, content(BS, 1), "w");
        long slowRead = m.oracle.readStarted(0, BS, "slow-reader");
        for (int k = 2; k <= 12; k++) {
            m.write(0, content(BS, k), "w");
        }
        assertThat(m.oracle.readCompleted(slowRead, 0, ByteBuffer.wrap(content(BS, 1)), "slow-reader")).isEmpty();
        assertThat(m.oracle.undecided()).isZero();
    }

    @Test
    void tornSectorsOfVersionsThatNeverCoexistedAreCaught() {
        MemoryMedia m = new MemoryMedia(BS, 4);
        byte[] v1Bytes = content(BS, 1);
        byte[] v2Bytes = content(BS, 2);
        long v1 = m.write(BS, v1Bytes, "w");
        long v2 = m.write(BS, v2Bytes, "w");
        byte[] torn = v2Bytes.clone();
        System.arraycopy(v1Bytes, 0, torn, 0, 2048); // sectors 0-3 of v1, 4-7 of v2

        List<Violation> found = m.oracle.checkServed(BS, ByteBuffer.wrap(torn));

        assertThat(found).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.TORN_READ);
            assertThat(v.offset()).isEqualTo(BS);
            assertThat(v.lba()).isEqualTo(1);
            assertThat(v.expected()).startsWith("v" + v2 + " ");
            assertThat(v.actual()).isEqualTo("sectors 0-3 v" + v1 + ", 4-7 v" + v2);
        });
    }

    @Test
    void sectorsMixedFromAWriteInFlightAreClean() {
        MemoryMedia m = new MemoryMedia(BS, 4);
        byte[] v1Bytes = content(BS, 1);
        byte[] v2Bytes = content(BS, 2);
        m.write(BS, v1Bytes, "w");
        long v2 = m.submit(BS, BS, "w");
        long r = m.oracle.readStarted(BS, BS, "r");
        m.land(v2, BS, v2Bytes);
        byte[] mixed = v2Bytes.clone();
        System.arraycopy(v1Bytes, 0, mixed, 0, 2048);
        assertThat(m.oracle.readCompleted(r, BS, ByteBuffer.wrap(mixed), "r")).isEmpty();
        m.complete(v2);
        assertThat(m.recorder.total()).isZero();
    }

    @Test
    void corruptContentIsCaughtAndCorrectContentIsClean() {
        MemoryMedia m = new MemoryMedia(BS, 4);
        long v1 = m.write(3 * BS, content(BS, 1), "w");
        assertThat(m.read(3 * BS, BS, "r")).isEmpty();
        byte[] flipped = content(BS, 1);
        flipped[1000] ^= 0x40; // sector 1
        long r = m.oracle.readStarted(3 * BS, BS, "r");
        List<Violation> found = m.oracle.readCompleted(r, 3 * BS, ByteBuffer.wrap(flipped), "r");
        assertThat(found).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.CORRUPT_READ);
            assertThat(v.lba()).isEqualTo(3);
            assertThat(v.expected()).startsWith("v" + v1 + " ");
            assertThat(v.actual()).startsWith("unknown content (sectors 0 v" + v1 + ", 1 ?, 2-7 v" + v1 + ")");
            assertThat(v.detail()).contains("sector 1");
            assertThat(v.firstDiffOffset()).isEqualTo(-1);
        });
    }

    @Test
    void singleSectorBlocksClassifyToo() {
        MemoryMedia m = new MemoryMedia(512, 8);
        long v1 = m.write(1024, content(512, 1), "w");
        long v2 = m.write(1024, content(512, 2), "w");
        assertThat(m.oracle.checkServed(1024, ByteBuffer.wrap(content(512, 2)))).isEmpty();
        assertThat(m.oracle.checkServed(1024, ByteBuffer.wrap(content(512, 1))))
                .singleElement().satisfies(v -> {
                    assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
                    assertThat(v.lba()).isEqualTo(2);
                    assertThat(v.expected()).startsWith("v" + v2 + " ");
                    assertThat(v.actual()).startsWith("v" + v1 + " ");
                });
        assertThat(m.oracle.checkServed(1024, ByteBuffer.wrap(content(512, 3))))
                .singleElement().satisfies(v -> assertThat(v.kind()).isEqualTo(ViolationKind.CORRUPT_READ));
    }

    @Test
    void initialZerosAreAdmissibleOnlyUntilAWriteCompletes() {
        MemoryMedia m = new MemoryMedia(BS, 8);
        assertThat(m.read(0, 8 * BS, "r")).isEmpty(); // a fresh device reads zeros
        assertThat(m.oracle.checkServed(BS, ByteBuffer.wrap(content(BS, 5))))
                .singleElement().satisfies(v -> {
                    assertThat(v.kind()).isEqualTo(ViolationKind.CORRUPT_READ);
                    assertThat(v.expected()).isEqualTo("the initial content (zeros)");
                });
        long v1 = m.write(2 * BS, content(BS, 1), "w");
        assertThat(m.oracle.checkServed(2 * BS, ByteBuffer.allocate(BS)))
                .singleElement().satisfies(v -> {
                    assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
                    assertThat(v.actual()).isEqualTo("the initial content (zeros)");
                    assertThat(v.expected()).startsWith("v" + v1 + " ");
                });
        // untouched blocks keep no state when they read as zeros
        assertThat(m.oracle.touchedBlocks()).isEqualTo(2);
    }

    @Test
    void preexistingContentReadFromMedia() {
        byte[] image = new byte[4 * BS];
        System.arraycopy(content(BS, 7), 0, image, 0, BS);
        MemoryMedia m = new MemoryMedia(BS, 4, InitialContent.fromMedia((o, d) -> { }), image);
        assertThat(m.read(0, 4 * BS, "r")).isEmpty();
        assertThat(m.oracle.checkServed(0, ByteBuffer.allocate(BS)))
                .singleElement().satisfies(v -> {
                    assertThat(v.kind()).isEqualTo(ViolationKind.CORRUPT_READ);
                    assertThat(v.expected()).isEqualTo("the initial content");
                });
        long v1 = m.write(0, content(BS, 8), "w");
        assertThat(m.oracle.checkServed(0, ByteBuffer.wrap(content(BS, 7))))
                .singleElement().satisfies(v -> {
                    assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
                    assertThat(v.actual()).isEqualTo("the initial content");
                    assertThat(v.expected()).startsWith("v" + v1 + " ");
                });
    }

    @Test
    void unknownInitialContentIsAdoptedFromTheFirstRead() {
        byte[] image = new byte[4 * BS];
        System.arraycopy(content(BS, 7), 0, image, BS, BS);
        MemoryMedia m = new MemoryMedia(BS, 4, InitialContent.unknown(), image);
        assertThat(m.read(BS, BS, "r")).isEmpty(); // adopted
        m.write(BS, content(BS, 8), "w");
        assertThat(m.oracle.checkServed(BS, ByteBuffer.wrap(content(BS, 7))))
                .singleElement().satisfies(v -> assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ));
        // a block never read before its first write: unknown content after it cannot be judged
        m.write(2 * BS, content(BS, 9), "w");
        assertThat(m.oracle.checkServed(2 * BS, ByteBuffer.wrap(content(BS, 3)))).isEmpty();
        assertThat(m.oracle.undecided()).isEqualTo(1);
    }

    @Test
    void partialEdgeBlocksAreSkippedAndAdjacentFindingsMerge() {
        MemoryMedia m = new MemoryMedia(BS, 8);
        byte[] three = new byte[3 * BS];
        for (int k = 0; k < 3; k++) {
            System.arraycopy(content(BS, k), 0, three, k * BS, BS);
        }
        long v1 = m.write(BS, three, "w");
        long v2 = m.write(BS, new byte[3 * BS], "w"); // zeros over all three
        // an unaligned read of [100, 100 + 4 BS): garbage in the partial head, stale v1 in blocks 1-3
        byte[] served = new byte[4 * BS];
        for (int i = 0; i < BS - 100; i++) {
            served[i] = (byte) 0x5A;
        }
        System.arraycopy(three, 0, served, BS - 100, 3 * BS);
        List<Violation> found = m.oracle.checkServed(100, ByteBuffer.wrap(served));
        assertThat(found).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
            assertThat(v.offset()).isEqualTo(BS);
            assertThat(v.length()).isEqualTo(3 * BS);
            assertThat(v.actual()).startsWith("v" + v1 + " ");
            assertThat(v.expected()).startsWith("v" + v2 + " ");
        });
    }

    @Test
    void abandonedWriteKeepsOnlyTheBlocksItLanded() {
        MemoryMedia m = new MemoryMedia(BS, 4);
        byte[] old = content(2 * BS, 1);
        m.write(0, old, "w");
        long v2 = m.submit(0, 2 * BS, "w");
        byte[] fresh = content(BS, 2);
        m.land(v2, 0, fresh);
        m.oracle.writeAbandoned(v2);
        assertThat(m.oracle.checkServed(0, ByteBuffer.wrap(fresh))).isEmpty();
        assertThat(m.oracle.checkServed(BS, ByteBuffer.wrap(old, BS, BS))).isEmpty();
        assertThat(m.oracle.checkServed(0, ByteBuffer.wrap(old, 0, BS)))
                .singleElement().satisfies(v -> {
                    assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
                    assertThat(v.expected()).contains("v" + v2 + " (").contains("failed t=");
                });
    }

    @Test
    void externalClockGivesTheReportedInstants() {
        AtomicLong now = new AtomicLong();
        ViolationRecorder rec = new ViolationRecorder();
        HistoryOracle o = new HistoryOracle(512, 512 * 4, rec, new OperationLog(), now::get);
        now.set(3);
        long v1 = o.writeSubmitted(0, 512, "writer-1");
        o.writeLanded(v1, 0, ByteBuffer.wrap(content(512, 1)));
        now.set(9);
        o.writeCompleted(v1);
        now.set(9); // same virtual instant: the call order decides, so the write completed first
        long r = o.readStarted(0, 512, "reader");
        List<Violation> found = o.readCompleted(r, 0, ByteBuffer.allocate(512), "reader");
        assertThat(found).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
            assertThat(v.expected()).isEqualTo("v" + v1 + " (submitted t=3, completed t=9, thread writer-1)");
            assertThat(v.detail()).contains("(t=9)");
        });
    }

    @Test
    void badCallsNameTheBadValue() {
        MemoryMedia m = new MemoryMedia(BS, 4);
        assertThatThrownBy(() -> m.oracle.writeCompleted(777)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("777");
        assertThatThrownBy(() -> m.oracle.writeSubmitted(-4096, BS, "w"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-4096");
        assertThatThrownBy(() -> m.oracle.readStarted(4 * BS, BS, "r"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity 16384");
        long id = m.submit(0, BS, "w");
        assertThatThrownBy(() -> m.oracle.writeLanded(id, 100, ByteBuffer.allocate(BS)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[100, +4096)");
        assertThatThrownBy(() -> m.oracle.writeLanded(id, BS, ByteBuffer.allocate(BS)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside v" + id);
        m.complete(id);
        assertThatThrownBy(() -> m.complete(id)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Long.toString(id));
        assertThatThrownBy(() -> new HistoryOracle(1000, 4000, new ViolationRecorder(), new OperationLog()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1000");
        assertThatThrownBy(() -> m.oracle.readCompleted(99999, 0, ByteBuffer.allocate(BS), "r"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("99999");
    }

    @Test
    void directBuffersAndReadOnlyBuffersAreFingerprintedAlike() {
        MemoryMedia m = new MemoryMedia(BS, 4);
        byte[] data = content(BS, 4);
        long id = m.submit(0, BS, "w");
        ByteBuffer direct = ByteBuffer.allocateDirect(BS).put(data).flip();
        m.oracle.writeLanded(id, 0, direct);
        assertThat(direct.position()).isZero();
        m.complete(id);
        assertThat(m.oracle.checkServed(0, ByteBuffer.wrap(data).asReadOnlyBuffer())).isEmpty();
        assertThat(m.recorder.total()).isZero();
    }

    @Test
    void constructionForALargeDeviceIsLazy() {
        HistoryOracle o = new HistoryOracle(512, 1L << 40, new ViolationRecorder(), new OperationLog());
        assertThat(o.touchedBlocks()).isZero();
        long id = o.writeSubmitted((1L << 40) - 512, 512, "w");
        o.writeLanded(id, (1L << 40) - 512, ByteBuffer.wrap(content(512, 1)));
        o.writeCompleted(id);
        assertThat(o.touchedBlocks()).isEqualTo(1);
        assertThat(o.checkServed((1L << 40) - 512, ByteBuffer.wrap(content(512, 1)))).isEmpty();
    }
}
