package io.staleguard.device.oracle;

import static io.staleguard.device.oracle.MemoryMedia.content;
import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The ArcadeDB #4925 pattern: a user-level page cache is poisoned by a racing reader that loads
 * the old page from disk and publishes it after the writer updated the page and invalidated it.
 * Every later lookup serves the old page; {@link HistoryOracle#checkServed} catches it.
 */
class PoisonedUserCacheTest {

    private static final int PAGE = 4096;
    private static final long PAGE_OFFSET = 5L * PAGE;

    /** A user-level page cache over a device. */
    private static final class PageCache {
        final MemoryMedia disk;
        final boolean checkGeneration;
        final Map<Long, byte[]> pages = new HashMap<>();
        final Map<Long, Long> generations = new HashMap<>();
        final List<Violation> found = new ArrayList<>();
        /** Runs between a miss's disk read and its publication, to force the race. */
        volatile Runnable afterDiskRead = () -> { };

        PageCache(MemoryMedia disk, boolean checkGeneration) {
            this.disk = disk;
            this.checkGeneration = checkGeneration;
        }

        byte[] get(long offset) {
            byte[] cached;
            long generation;
            synchronized (this) {
                cached = pages.get(offset);
                generation = generations.getOrDefault(offset, 0L);
            }
            if (cached != null) {
                // The hook under test: every page the cache hands out is checked against the history.
                found.addAll(disk.oracle.checkServed(offset, ByteBuffer.wrap(cached)));
                return cached;
            }
            String thread = Thread.currentThread().getName();
            long token = disk.oracle.readStarted(offset, PAGE, thread);
            byte[] page = disk.raw(offset, PAGE);
            found.addAll(disk.oracle.readCompleted(token, offset, ByteBuffer.wrap(page), thread));
            afterDiskRead.run();
            synchronized (this) {
                // The fix: do not publish a page loaded before an invalidation that happened since.
                if (!checkGeneration || generations.getOrDefault(offset, 0L) == generation) {
                    pages.put(offset, page);
                }
            }
            return page;
        }

        void update(long offset, byte[] data) {
            disk.write(offset, data, Thread.currentThread().getName());
            synchronized (this) {
                pages.remove(offset);
                generations.merge(offset, 1L, Long::sum);
            }
        }
    }

    private static List<Violation> race(boolean fixed) throws Exception {
        MemoryMedia disk = new MemoryMedia(PAGE, 16);
        disk.write(PAGE_OFFSET, content(PAGE, 1), "setup");
        PageCache cache = new PageCache(disk, fixed);
        CountDownLatch readerLoaded = new CountDownLatch(1);
        CountDownLatch writerDone = new CountDownLatch(1);
        cache.afterDiskRead = () -> {
            readerLoaded.countDown();
            await(writerDone);
        };
        Thread reader = new Thread(() -> cache.get(PAGE_OFFSET), "racing-reader");
        reader.start();
        await(readerLoaded);
        Thread writer = new Thread(() -> cache.update(PAGE_OFFSET, content(PAGE, 2)), "writer");
        writer.start();
        writer.join();
        writerDone.countDown();
        reader.join();
        cache.afterDiskRead = () -> { };
        byte[] later = cache.get(PAGE_OFFSET);
        assertThat(later).isEqualTo(fixed ? content(PAGE, 2) : content(PAGE, 1));
        assertThat(disk.recorder.all()).containsExactlyElementsOf(cache.found);
        return cache.found;
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void poisonedPageIsCaughtWhenServed() throws Exception {
        List<Violation> found = race(false);
        assertThat(found).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(ViolationKind.STALE_READ);
            assertThat(v.offset()).isEqualTo(PAGE_OFFSET);
            assertThat(v.lba()).isEqualTo(5);
            assertThat(v.expected()).contains("thread writer)");
            assertThat(v.actual()).contains("thread setup)");
        });
    }

    @Test
    void generationCheckedCacheIsClean() throws Exception {
        assertThat(race(true)).isEmpty();
    }
}
