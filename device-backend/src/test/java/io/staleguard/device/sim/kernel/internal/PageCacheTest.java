package io.staleguard.device.sim.kernel.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.staleguard.device.integrity.ProtectionFormat;
import io.staleguard.device.integrity.TagMismatch;
import io.staleguard.device.sim.kernel.StablePages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The page state machine, on its own, over a byte array: the steps both schedulers call. */
class PageCacheTest {

    static final int BS = 512;
    static final int PAGE = 4096;

    /** An address space in memory that records its write I/Os. */
    static final class ArraySpace implements AddressSpace {
        final byte[] media;
        final List<long[]> writes = new ArrayList<>();

        ArraySpace(int size) {
            media = new byte[size];
        }

        @Override
        public long size() {
            return media.length;
        }

        @Override
        public int blockSize() {
            return BS;
        }

        @Override
        public ProtectionFormat protection() {
            return ProtectionFormat.T10_DIF_TYPE1;
        }

        @Override
        public void read(long offset, byte[] dst, int dstOff, int len) {
            System.arraycopy(media, (int) offset, dst, dstOff, len);
        }

        @Override
        public void write(long offset, byte[] src, int srcOff, int len, byte[] tuples, int tuplesOff) {
            System.arraycopy(src, srcOff, media, (int) offset, len);
            writes.add(new long[] {offset, len});
        }
    }

    @Test
    void readAheadInsertsLockedPagesThatAFillMakesUptodate() {
        ArraySpace space = new ArraySpace(4 * PAGE);
        Arrays.fill(space.media, PAGE, 2 * PAGE, (byte) 7);
        PageCache c = new PageCache(space, PAGE, StablePages.WAIT_IN_WRITE_AND_MKWRITE, false);
        Page p = c.insertLocked(1, 42);
        assertThat(c.lookup(1)).isSameAs(p);
        assertThat(c.anyLocked(0, 4)).isTrue();
        assertThat(p.uptodate).isFalse();
        assertThat(c.insert(c.newLocked(1, 43))).as("the index is taken").isSameAs(p);
        c.fill(p);
        assertThat(p.uptodate).isTrue();
        assertThat(p.locked).isFalse();
        assertThat(p.lockOwner).isZero();
        assertThat(p.data[0]).isEqualTo((byte) 7);
        assertThat(c.anyLocked(0, 4)).isFalse();
        assertThat(c.nrpages()).isEqualTo(1);
    }

    @Test
    void writebackWritesOnlyTheDirtyBlocksAndWriteProtectsTheMapping() {
        ArraySpace space = new ArraySpace(2 * PAGE);
        PageCache c = new PageCache(space, PAGE, StablePages.WAIT_IN_WRITE_AND_MKWRITE, false);
        Page p = c.readPage(0);
        c.mkwrite(p);
        p.data[100] = 1;
        c.markDirty(p, 100, 101);
        p.data[3 * BS] = 2;
        c.markDirty(p, 3 * BS, 3 * BS + 1);
        assertThat(p.pte).isEqualTo(Page.PTE_RW);

        Writeback wb = c.startWriteback(p);
        assertThat(wb).isNotNull();
        assertThat(wb.bounced()).isFalse();
        assertThat(p.dirty).isFalse();
        assertThat(p.writeback).isTrue();
        assertThat(p.pte).as("clear_page_dirty_for_io write-protects the mapping").isEqualTo(Page.PTE_RO);
        assertThat(c.startWriteback(p)).as("already under writeback").isNull();
        assertThat(c.anyWriteback(0, 1)).isTrue();

        int failed = c.land(wb, wb.source().clone(), (w, m, off, at) -> {
            throw new AssertionError("unchanged page failed its guard at " + off);
        });
        c.endWriteback(p);
        assertThat(failed).isZero();
        assertThat(space.writes).extracting(w -> w[0]).containsExactly(0L, 3L * BS);
        assertThat(space.media[100]).isEqualTo((byte) 1);
        assertThat(space.media[3 * BS]).isEqualTo((byte) 2);
        assertThat(p.writeback).isFalse();
    }

    @Test
    void aPageChangedBetweenChecksumAndDmaFailsItsGuardOnEveryChangedBlock() {
        ArraySpace space = new ArraySpace(PAGE);
        PageCache c = new PageCache(space, PAGE, StablePages.NONE, false);
        Page p = c.readPage(0);
        c.markDirty(p, 0, PAGE);
        Writeback wb = c.startWriteback(p);
        p.data[BS + 5] = 9;          // a store after the checksum, before the DMA
        p.data[6 * BS] = 9;
        List<Long> failedAt = new ArrayList<>();
        List<Integer> inPage = new ArrayList<>();
        int failed = c.land(wb, wb.source().clone(), (w, m, off, at) -> {
            assertThat(m).isInstanceOf(TagMismatch.class);
            failedAt.add(off);
            inPage.add(at);
        });
        assertThat(failed).isEqualTo(2);
        assertThat(failedAt).containsExactly((long) BS, 6L * BS);
        assertThat(inPage).containsExactly(BS, 6 * BS);
    }

    @Test
    void bouncedWritebackChecksumsACopy() {
        PageCache c = new PageCache(new ArraySpace(PAGE), PAGE, StablePages.BOUNCE_BEFORE_CHECKSUM, false);
        Page p = c.readPage(0);
        c.markDirty(p, 0, 1);
        Writeback wb = c.startWriteback(p);
        assertThat(wb.bounced()).isTrue();
        p.data[0] = 9;
        assertThat(c.land(wb, wb.source(), (w, m, off, at) -> {
            throw new AssertionError("the bounce copy changed");
        })).isZero();
    }

    @Test
    void stablePagesSayWhoWaitsOnWriteback() {
        AddressSpace s = new ArraySpace(PAGE);
        assertThat(new PageCache(s, PAGE, StablePages.NONE, false).writeWaitsOnWriteback()).isFalse();
        assertThat(new PageCache(s, PAGE, StablePages.WAIT_IN_WRITE_ONLY, false).writeWaitsOnWriteback()).isTrue();
        assertThat(new PageCache(s, PAGE, StablePages.WAIT_IN_WRITE_ONLY, false).mkwriteWaitsOnWriteback()).isFalse();
        assertThat(new PageCache(s, PAGE, StablePages.WAIT_IN_WRITE_AND_MKWRITE, false).mkwriteWaitsOnWriteback()).isTrue();
        assertThat(new PageCache(s, PAGE, StablePages.BOUNCE_BEFORE_CHECKSUM, false).writeWaitsOnWriteback()).isFalse();
    }

    @Test
    void invalidationLaundersDirtyBlocksThenDropsAndUnmaps() {
        ArraySpace space = new ArraySpace(4 * PAGE);
        PageCache c = new PageCache(space, PAGE, StablePages.NONE, false);
        Page dirty = c.readPage(1);
        c.mkwrite(dirty);
        dirty.data[2 * BS] = 5;
        c.markDirty(dirty, 2 * BS, 2 * BS + 1);
        Page clean = c.readPage(2);
        assertThat(c.invalidate(PAGE, 2 * PAGE)).isEqualTo(2);
        assertThat(space.writes).extracting(w -> w[0]).containsExactly(PAGE + 2L * BS);
        assertThat(space.media[PAGE + 2 * BS]).isEqualTo((byte) 5);
        assertThat(dirty.removed).isTrue();
        assertThat(dirty.pte).isEqualTo(Page.PTE_NONE);
        assertThat(clean.removed).isTrue();
        assertThat(c.lookup(1)).isNull();
        assertThat(c.nrpages()).isZero();
        assertThat(c.drop(dirty)).as("already gone").isFalse();
    }

    @Test
    void reclaimEvictsOnlyCleanUnmappedUptodatePages() {
        PageCache c = new PageCache(new ArraySpace(4 * PAGE), PAGE, StablePages.NONE, false);
        Page dirty = c.readPage(0);
        c.markDirty(dirty, 0, 1);
        Page mapped = c.readPage(1);
        mapped.pte = Page.PTE_RO;
        Page locked = c.insertLocked(2, 1);
        Page clean = c.readPage(3);
        assertThat(c.evict(dirty)).isFalse();
        assertThat(c.evict(mapped)).isFalse();
        assertThat(c.evict(locked)).isFalse();
        assertThat(c.evict(clean)).isTrue();
        assertThat(c.cached()).containsExactly(dirty, mapped, locked);
    }

    @Test
    void truncateDiscardsTheRangesDirtyBlocksWithoutWritingThemBack() {
        ArraySpace space = new ArraySpace(4 * PAGE);
        PagePool pool = new PagePool();
        PageCache c = new PageCache(space, PAGE, StablePages.NONE, false, pool);
        Page kept = c.readPage(0);
        Arrays.fill(kept.data, (byte) 7);
        c.markDirty(kept, 0, PAGE);
        Page gone = c.readPage(1);
        c.markDirty(gone, 0, 1);
        assertThat(pool.cachedPages()).isEqualTo(2);
        assertThat(pool.dirtyPages()).isEqualTo(2);
        assertThat(c.dirtyPages()).isEqualTo(2);
        assertThat(c.truncate(kept, 2 * BS, PAGE)).as("the page keeps its first two blocks").isFalse();
        assertThat(c.truncate(gone, 0, PAGE)).isTrue();
        assertThat(kept.dirtyBlocks).isEqualTo(0b11);
        assertThat(Arrays.copyOfRange(kept.data, 2 * BS, PAGE)).containsOnly((byte) 0);
        assertThat(gone.removed).isTrue();
        assertThat(c.lookup(1)).isNull();
        assertThat(pool.cachedPages()).isEqualTo(1);
        assertThat(pool.dirtyPages()).isEqualTo(1);
        c.launder(kept);
        assertThat(space.writes).as("only the kept blocks reach the space").containsExactly(new long[] {0, 2 * BS});
        assertThat(pool.dirtyPages()).isZero();
        assertThat(c.truncate(kept, 0, 2 * BS)).isFalse();
        assertThat(kept.dirty).as("no dirty block left: the page is clean").isFalse();
    }

    @Test
    void theLastPageOfASpaceMayBeShortAndPagesHoldAtMost64Blocks() {
        PageCache c = new PageCache(new ArraySpace(PAGE + 2 * BS), PAGE, StablePages.NONE, false);
        assertThat(c.pageCount()).isEqualTo(2);
        assertThat(c.readPage(1).data).hasSize(2 * BS);
        assertThatThrownBy(() -> new PageCache(new ArraySpace(PAGE), 65 * BS, StablePages.NONE, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PageCache(new ArraySpace(PAGE), 700, StablePages.NONE, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
