package io.staleguard.device.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.Violation;
import io.staleguard.device.ViolationKind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class OracleMemoryAndConcurrencyTest {

    /**
     * Versions a block may hold in steady state: its slots after one doubling, the initial
     * content and the versions remembered by hash.
     */
    private static final long STEADY = 2L * BlockHistory.INITIAL_SLOTS + 1 + BlockHistory.GRAVE;

    @Test
    void memoryHoldsSteadyOverAMillionWritesToAFewBlocks() {
        int bs = 512;
        int blocks = 4;
        MemoryMedia m = new MemoryMedia(bs, blocks);
        byte[] data = new byte[bs];
        ByteBuffer buf = ByteBuffer.wrap(data);
        long pendingId = 0;
        long pendingOffset = 0;
        for (int i = 1; i <= 1_000_000; i++) {
            long offset = (long) (i % blocks) * bs;
            data[0] = (byte) i;
            data[1] = (byte) (i >>> 8);
            data[2] = (byte) (i >>> 16);
            long id = m.oracle.writeSubmitted(offset, bs, "w");
            m.oracle.writeLanded(id, offset, buf);
            System.arraycopy(data, 0, m.media, (int) offset, bs);
            // keep one write in flight at a time, overlapping the next, to exercise supersession
            if (pendingId != 0) {
                m.oracle.writeCompleted(pendingId);
            }
            pendingId = id;
            pendingOffset = offset;
            if (i % 1000 == 0) {
                assertThat(m.read(0, bs * blocks, "r")).isEmpty();
                assertThat(m.oracle.retainedVersions())
                        .isLessThanOrEqualTo((long) blocks * STEADY);
            }
        }
        m.oracle.writeCompleted(pendingId);
        assertThat(pendingOffset).isGreaterThanOrEqualTo(0);
        assertThat(m.oracle.writesInFlight()).isZero();
        assertThat(m.oracle.retainedVersions()).isLessThanOrEqualTo((long) blocks * STEADY);
        assertThat(m.oracle.touchedBlocks()).isEqualTo(blocks);
        assertThat(m.recorder.total()).isZero();
    }

    /**
     * A correct device shared by several threads: per-block locks make each block's landing and
     * copy atomic with respect to reads of that block; multi-block operations are not atomic as a
     * whole, as on real devices. Reads go through a per-block cache that every write invalidates.
     * No violation may be reported.
     */
    @Test
    void severalThreadsOfCorrectUsageProduceNoViolation() throws Exception {
        long seed = System.nanoTime();
        MemoryMedia m = runWorkers(seed, false);
        assertThat(m.recorder.total()).as("seed %d", seed).isZero();
        assertThat(m.oracle.operations()).isEqualTo((long) THREADS * OPS_PER_THREAD);
        assertThat(m.oracle.undecided()).as("seed %d", seed).isLessThan(THREADS * OPS_PER_THREAD / 100);
        // with up to THREADS writes in flight per block, a block may double its slots once more
        assertThat(m.oracle.retainedVersions()).isLessThanOrEqualTo(BLOCKS * (STEADY + 2L * BlockHistory.INITIAL_SLOTS));
        // and the device content now reads back clean through the public check
        assertThat(m.oracle.checkServed(0, ByteBuffer.wrap(m.raw(0, BLOCKS * BS)))).isEmpty();
    }

    /** The twin: one writer forgets to invalidate the cache; the oracle sees stale reads, nothing else. */
    @Test
    void aCacheOneWriterForgetsToInvalidateIsCaughtUnderConcurrency() throws Exception {
        long seed = System.nanoTime();
        MemoryMedia m = runWorkers(seed, true);
        assertThat(m.recorder.count(ViolationKind.STALE_READ)).as("seed %d", seed).isPositive();
        assertThat(m.recorder.count(ViolationKind.TORN_READ)).as("seed %d", seed).isZero();
        assertThat(m.recorder.all()).allSatisfy(v -> assertThat(v.thread()).startsWith("worker-"));
    }

    private static final int BS = 4096;
    private static final int BLOCKS = 32;
    private static final int THREADS = 4;
    private static final int OPS_PER_THREAD = 20_000;

    private static MemoryMedia runWorkers(long seed, boolean forgetfulWriter) throws Exception {
        MemoryMedia m = new MemoryMedia(BS, BLOCKS);
        ReentrantLock[] locks = new ReentrantLock[BLOCKS];
        byte[][] cache = new byte[BLOCKS][];
        for (int i = 0; i < BLOCKS; i++) {
            locks[i] = new ReentrantLock();
        }
        List<Throwable> failures = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            SplittableRandom random = new SplittableRandom(seed + t);
            String name = "worker-" + t;
            boolean forgets = forgetfulWriter && t == 0;
            workers.add(new Thread(() -> {
                try {
                    byte[] buf = new byte[4 * BS];
                    for (int op = 0; op < OPS_PER_THREAD; op++) {
                        int first = random.nextInt(BLOCKS);
                        int n = 1 + random.nextInt(Math.min(4, BLOCKS - first));
                        long offset = (long) first * BS;
                        if (random.nextBoolean()) {
                            random.nextBytes(buf);
                            long id = m.oracle.writeSubmitted(offset, (long) n * BS, name);
                            for (int k = 0; k < n; k++) {
                                locks[first + k].lock();
                                try {
                                    m.oracle.writeLanded(id, offset + (long) k * BS, ByteBuffer.wrap(buf, k * BS, BS));
                                    System.arraycopy(buf, k * BS, m.media, (int) offset + k * BS, BS);
                                    if (!forgets) {
                                        cache[first + k] = null;
                                    }
                                } finally {
                                    locks[first + k].unlock();
                                }
                            }
                            m.oracle.writeCompleted(id);
                        } else {
                            long token = m.oracle.readStarted(offset, (long) n * BS, name);
                            for (int k = 0; k < n; k++) {
                                locks[first + k].lock();
                                try {
                                    byte[] page = cache[first + k];
                                    if (page == null) {
                                        page = new byte[BS];
                                        System.arraycopy(m.media, (int) offset + k * BS, page, 0, BS);
                                        cache[first + k] = page;
                                    }
                                    System.arraycopy(page, 0, buf, k * BS, BS);
                                } finally {
                                    locks[first + k].unlock();
                                }
                            }
                            List<Violation> found = m.oracle.readCompleted(token, offset,
                                    ByteBuffer.wrap(buf, 0, n * BS), name);
                            if (!found.isEmpty() && !forgetfulWriter) {
                                throw new AssertionError("seed " + seed + ": " + found.get(0).summary());
                            }
                        }
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, name));
        }
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            w.join();
        }
        assertThat(failures).as("seed %d", seed).isEmpty();
        return m;
    }
}
