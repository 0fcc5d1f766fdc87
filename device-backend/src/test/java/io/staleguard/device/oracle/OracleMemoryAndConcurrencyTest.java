package io.staleguard.device.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.staleguard.device.Violation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class OracleMemoryAndConcurrencyTest {

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
                        .isLessThanOrEqualTo((long) blocks * (BlockHistory.KEEP_SUPERSEDED + 3));
            }
        }
        m.oracle.writeCompleted(pendingId);
        assertThat(pendingOffset).isGreaterThanOrEqualTo(0);
        assertThat(m.oracle.writesInFlight()).isZero();
        assertThat(m.oracle.retainedVersions()).isLessThanOrEqualTo((long) blocks * (BlockHistory.KEEP_SUPERSEDED + 3));
        assertThat(m.oracle.touchedBlocks()).isEqualTo(blocks);
        assertThat(m.recorder.total()).isZero();
    }

    /**
     * A correct device shared by several threads: per-block locks make each block's landing and
     * copy atomic with respect to reads of that block; multi-block operations are not atomic as a
     * whole, as on real devices. No violation may be reported.
     */
    @Test
    void severalThreadsOfCorrectUsageProduceNoViolation() throws Exception {
        int bs = 4096;
        int blocks = 32;
        MemoryMedia m = new MemoryMedia(bs, blocks);
        ReentrantLock[] locks = new ReentrantLock[blocks];
        for (int i = 0; i < blocks; i++) {
            locks[i] = new ReentrantLock();
        }
        long seed = System.nanoTime();
        int threads = 4;
        int opsPerThread = 60_000;
        List<Throwable> failures = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            SplittableRandom random = new SplittableRandom(seed + t);
            String name = "worker-" + t;
            workers.add(new Thread(() -> {
                try {
                    byte[] buf = new byte[4 * bs];
                    for (int op = 0; op < opsPerThread; op++) {
                        int first = random.nextInt(blocks);
                        int n = 1 + random.nextInt(Math.min(4, blocks - first));
                        long offset = (long) first * bs;
                        if (random.nextBoolean()) {
                            random.nextBytes(buf);
                            long id = m.oracle.writeSubmitted(offset, (long) n * bs, name);
                            for (int k = 0; k < n; k++) {
                                locks[first + k].lock();
                                try {
                                    m.oracle.writeLanded(id, offset + (long) k * bs, ByteBuffer.wrap(buf, k * bs, bs));
                                    System.arraycopy(buf, k * bs, m.media, (int) offset + k * bs, bs);
                                } finally {
                                    locks[first + k].unlock();
                                }
                            }
                            m.oracle.writeCompleted(id);
                        } else {
                            long token = m.oracle.readStarted(offset, (long) n * bs, name);
                            for (int k = 0; k < n; k++) {
                                locks[first + k].lock();
                                try {
                                    System.arraycopy(m.media, (int) offset + k * bs, buf, k * bs, bs);
                                } finally {
                                    locks[first + k].unlock();
                                }
                            }
                            List<Violation> found = m.oracle.readCompleted(token, offset,
                                    ByteBuffer.wrap(buf, 0, n * bs), name);
                            if (!found.isEmpty()) {
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
        assertThat(m.recorder.total()).as("seed %d", seed).isZero();
        assertThat(m.oracle.operations()).isEqualTo((long) threads * opsPerThread);
        assertThat(m.oracle.undecided()).as("seed %d", seed).isLessThan(threads * opsPerThread / 100);
        assertThat(m.oracle.retainedVersions()).isLessThanOrEqualTo(blocks * (BlockHistory.KEEP_SUPERSEDED + 2 + threads));
        // and the device content now reads back clean through the public check
        assertThat(m.oracle.checkServed(0, ByteBuffer.wrap(m.raw(0, blocks * bs)))).isEmpty();
    }
}
